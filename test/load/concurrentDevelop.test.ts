/**
 * Load (#7: five containers developed and restored concurrently from one window): the lab's
 * developable containers, one per HAProxy backend — heat, keystone, glance, placement, cinder —
 * developed and then restored concurrently from one process over ONE SshHost (the connection the
 * extension keeps per host). Two containers of one backend cannot both be isolated (each would put
 * the other in maintenance; Develop refuses the second), so the second heat container is left out.
 * Checks: every Develop completes, each container is the only one in service in its backend and
 * its unit is held stopped; every Restore completes; the host is back to the snapshot. Prints the
 * wall time of the whole and of each container, and the channels left open.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { planDevelop, stepsForRestore } from '../../src/core/devloop/plan';
import { JournalStore } from '../../src/core/devloop/journalStore';
import { shellJoin } from '../../src/core/shell/quote';
import { labCatalog, labEngine, labRuntime, labStepContext } from '../support/heatOnLab';
import { connectLab, readLab } from '../support/lab';
import { adminStates } from '../support/labFaults';
import { developableContainers } from '../support/labServices';
import { productionSnapshot, waitForHaproxySettled } from '../support/productionSnapshot';

const HOLDER = 'load@lab (one window, several containers)';

test('developable containers developed and restored concurrently over one SSH connection', { timeout: 10 * 60_000 }, async () => {
  const lab = readLab();
  const backends = (lab.haproxy as { backends?: Record<string, string> }).backends ?? {};
  const seen = new Set<string>();
  const targets = developableContainers(lab).filter(({ container }) => !seen.has(container.service) && seen.add(container.service));
  const backendOf = (service: string): string | undefined => Object.entries(backends).find(([name]) => name.startsWith(service))?.[1];
  const distinct = new Set(targets.map(({ container }) => backendOf(container.service)).filter((b) => b !== undefined));
  assert.ok(targets.length >= 5 && distinct.size === targets.length, `five containers in five backends: ${targets.map((t) => `${t.container.name} (${backendOf(t.container.service)})`).join(', ')}`);
  await waitForHaproxySettled();
  const baseline = productionSnapshot(lab);
  const ssh = connectLab(lab);
  const catalog = labCatalog();
  const started = Date.now();
  try {
    const plans = await Promise.all(targets.map(({ container, request }) => planDevelop(labStepContext(ssh, container.name), catalog, request, container.units)));
    const seconds = (since: number): string => ((Date.now() - since) / 1000).toFixed(1);
    const each = new Map<string, string[]>();
    const timed = async <T>(name: string, work: Promise<T>, since: number): Promise<T> => {
      const result = await work;
      each.set(name, [...(each.get(name) ?? []), seconds(since)]);
      return result;
    };
    const docs = await Promise.all(targets.map(({ request }, i) => timed(request.container, labEngine(ssh, request.container, HOLDER).develop(plans[i]!.steps, { ...request }), started)));
    const developed = Date.now();
    docs.forEach((doc, i) => assert.ok(doc.steps.every((s) => s.status === 'applied' || s.status === 'skipped'), `${targets[i]!.container.name}: ${JSON.stringify(doc.steps.map((s) => [s.id, s.status, s.error]))}`));
    for (const { container, request } of targets) {
      const active = await ssh.exec(shellJoin(labRuntime.execArgv(container.name, ['systemctl', 'is-active', request.unit])));
      assert.equal(active.stdout.trim(), 'inactive', `${request.unit} held stopped in ${container.name}`);
      const backend = backendOf(container.service);
      if (!backend) continue;
      for (const [server, admin] of await adminStates(backend)) {
        assert.equal((admin & 1) !== 0, server !== container.name, `${backend}/${server} admin ${admin} while ${container.name} is in dev mode`);
      }
    }
    const restoring = Date.now();
    await Promise.all(targets.map(({ request }, i) => timed(request.container, labEngine(ssh, request.container, HOLDER).restore(plans[i]!.steps), restoring)));
    const restored = Date.now();
    for (const { container } of targets) assert.equal(await new JournalStore(ssh).read(container.name), undefined, `${container.name} left dev mode`);
    console.log(
      `load/concurrent: ${targets.length} containers in ${distinct.size} backends over one SSH connection: ` +
        `develop ${((developed - started) / 1000).toFixed(1)} s, restore ${((restored - restoring) / 1000).toFixed(1)} s (wall, all at once); client channels open after: ${ssh.openChannels}`,
    );
    for (const { container } of targets) {
      const [develop = '?', restore = '?'] = each.get(container.name) ?? [];
      console.log(`  ${container.name} (${backendOf(container.service)}): develop ${develop} s, restore ${restore} s`);
    }
    assert.equal(ssh.openChannels, 0);
  } finally {
    for (const { container } of targets) {
      const journal = await new JournalStore(ssh).read(container.name).catch(() => undefined);
      if (journal) await labEngine(ssh, container.name, HOLDER).restore(stepsForRestore(journal), { takeOverLock: true }).catch(() => undefined);
    }
    ssh.dispose();
  }
  await waitForHaproxySettled();
  assert.equal(productionSnapshot(lab), baseline);
});
