/** Every id the manifest and the code share, in one place (scripts/check-commands.mjs checks them). */

export const Commands = {
  addHost: 'osaDev.addHost',
  removeHost: 'osaDev.removeHost',
  refresh: 'osaDev.refresh',
  openShell: 'osaDev.openShell',
  showLogs: 'osaDev.showLogs',
  copyIp: 'osaDev.copyIp',
  openConfig: 'osaDev.openConfig',
  develop: 'osaDev.develop',
  restore: 'osaDev.restore',
  restartDevProcess: 'osaDev.restartDevProcess',
  attachDebugger: 'osaDev.attachDebugger',
  showOutput: 'osaDev.showOutput',
  openOpenStackCli: 'osaDev.openOpenStackCli',
  gerritRefresh: 'osaDev.gerrit.refresh',
  gerritDevelopChange: 'osaDev.gerrit.developChange',
  gerritCheckoutChange: 'osaDev.gerrit.checkoutChange',
  gerritOpenInBrowser: 'osaDev.gerrit.openInBrowser',
  gerritLoadMore: 'osaDev.gerrit.loadMore',
  gerritSetHttpPassword: 'osaDev.gerrit.setHttpPassword',
  rebuildContainer: 'osaDev.rebuildContainer',
  createAio: 'osaDev.createAio',
} as const;

export type CommandId = (typeof Commands)[keyof typeof Commands];

export const Views = {
  hosts: 'osaDev.hosts',
  gerrit: 'osaDev.gerrit',
} as const;

export const ContextKeys = {
  hostCount: 'osaDev.hostCount',
  devProcessCount: 'osaDev.devProcessCount',
  /** True while the workspace belongs to a Gerrit project (the Gerrit view shows only then). */
  gerritProject: 'osaDev.gerritProject',
} as const;

export const Settings = {
  section: 'osaDev',
  hosts: 'hosts',
  sshConfigFile: 'sshConfigFile',
  knownHostsFile: 'knownHostsFile',
  logLines: 'logs.lines',
  catalogFile: 'catalogFile',
  packageIndex: 'packageIndexUrl',
  sourcesFolder: 'sourcesFolder',
  gerritUrl: 'gerritUrl',
  restartOnSave: 'restartOnSave',
  gerritShowView: 'gerrit.showView',
  gerritProject: 'gerrit.project',
  aioRepository: 'aio.repository',
  debugPort: 'debug.port',
  debugJustMyCode: 'debug.justMyCode',
  debugSitePackages: 'debug.sitePackages',
} as const;

/** contextValue of tree items: state + kind, matched by `viewItem` regexes in package.json. */
export const ContextValues = {
  host: 'host',
  hostError: 'hostError',
  service: 'service',
  /** Another physical host of a multi-node deployment. */
  physicalHost: 'physicalHost',
  error: 'error',
  cloud: 'cloud',
  endpoint: 'endpoint',
  /** `runningContainer`, `stoppedContainer`…; `runningDevContainer` while a dev-mode journal exists. */
  container: (state: string, devMode: boolean): string => `${state}${devMode ? 'Dev' : ''}Container`,
} as const;
