import { parseHaproxyConfig, readConfigFiles } from '../haproxy';
import { runCommand } from '../process/runCommand';
import type { ShellRunner } from '../process/types';
import { shellJoin } from '../shell/quote';
import { cloudView, vipsFromUserConfig, type CloudView } from './cloudEndpoints';

export const OSA_USER_CONFIG_PATH = '/etc/openstack_deploy/openstack_user_config.yml';

/** The host's HAProxy configuration and VIPs, read over its runner (two short reads). */
export async function loadCloudView(runner: ShellRunner): Promise<CloudView> {
  const files = await runCommand(runner, readConfigFiles());
  const userConfig = await runner.exec(shellJoin(['cat', OSA_USER_CONFIG_PATH]), { secretOutput: true });
  const config = parseHaproxyConfig([...(files.main ? [files.main] : []), ...files.fragments]);
  return cloudView(config, vipsFromUserConfig(userConfig.code === 0 ? userConfig.stdout : undefined));
}
