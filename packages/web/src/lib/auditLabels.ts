/**
 * Chinese names of the audit actions the server records, for display; an action not listed is
 * shown by its code, so a new server action never disappears from the log.
 */
export const AUDIT_ACTION_LABELS: Record<string, string> = {
  'auth.login': '登录',
  'auth.logout': '退出登录',
  'auth.login_failed': '登录失败',
  'auth.login_refused': '拒绝登录',
  'auth.account_locked': '账号锁定',
  'user.list': '查询用户列表',
  'user.read': '查看用户',
  'user.create': '新建用户',
  'user.update': '修改用户',
  'user.disable': '停用用户',
  'user.enable': '启用用户',
  'user.reset_password': '重置密码',
  'user.unlock': '解锁账号',
  'report.read': '查看统计报表',
  'report.download': '下载统计报表',
  'spot_check.draw': '抽取抽查样本',
  'spot_check.read': '查看抽查样本',
  'spot_check.assign': '分配抽查核实人员',
  'spot_check.result': '记录抽查核实结果',
};

/** Chinese names of audited entity types. */
export const AUDIT_ENTITY_LABELS: Record<string, string> = {
  user: '用户',
  region: '区划',
  session: '会话',
  report: '统计报表',
  spot_check: '抽查样本',
};
