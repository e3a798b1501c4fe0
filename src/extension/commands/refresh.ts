import type { Services } from '../services';
import type { TreeNode } from '../tree/treeNode';

export async function refresh(services: Services, node?: TreeNode): Promise<void> {
  services.tree.refresh(node);
}
