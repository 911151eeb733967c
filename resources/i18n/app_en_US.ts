<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="en_US" sourcelanguage="zh_CN">
  <context>
    <name>AccountDialog</name>
    <message>
      <location filename="../../ui/admin/admin_window.py" line="382" />
      <source>新建账户</source>
      <translation>New account</translation>
    </message>
    <message>
      <location filename="../../ui/admin/admin_window.py" line="384" />
      <source>本所人员</source>
      <translation>A person of the station</translation>
    </message>
    <message>
      <location filename="../../ui/admin/admin_window.py" line="385" />
      <source>系统管理员或分局研判员</source>
      <translation>Administrator or branch analyst</translation>
    </message>
    <message>
      <location filename="../../ui/admin/admin_window.py" line="393" />
      <source>自动生成初始密码</source>
      <translation>Generate the one-time password</translation>
    </message>
    <message>
      <location filename="../../ui/admin/admin_window.py" line="401" />
      <source>用户名：</source>
      <translation>User name:</translation>
    </message>
    <message>
      <location filename="../../ui/admin/admin_window.py" line="405" />
      <source>初始密码：</source>
      <translation>One-time password:</translation>
    </message>
  </context>
  <context>
    <name>AccountsPage</name>
    <message>
      <location filename="../../ui/admin/admin_window.py" line="428" />
      <source>从未登录</source>
      <translation>Never</translation>
    </message>
    <message>
      <location filename="../../ui/admin/admin_window.py" line="430" />
      <source>新建账户…</source>
      <translation>New account…</translation>
    </message>
    <message>
      <location filename="../../ui/admin/admin_window.py" line="431" />
      <source>重置密码</source>
      <translation>Reset password</translation>
    </message>
    <message>
      <location filename="../../ui/admin/admin_window.py" line="432" />
      <location filename="../../ui/admin/admin_window.py" line="484" />
      <source>解锁</source>
      <translation>Unlock</translation>
    </message>
    <message>
      <location filename="../../ui/admin/admin_window.py" line="433" />
      <source>停用</source>
      <translation>Disable</translation>
    </message>
    <message>
      <location filename="../../ui/admin/admin_window.py" line="434" />
      <source>启用</source>
      <translation>Enable</translation>
    </message>
    <message>
      <location filename="../../ui/admin/admin_window.py" line="440" />
      <source>已停用</source>
      <translation>Disabled</translation>
    </message>
    <message>
      <location filename="../../ui/admin/admin_window.py" line="441" />
      <source>正常</source>
      <translation>Active</translation>
    </message>
    <message>
      <location filename="../../ui/admin/admin_window.py" line="443" />
      <source>，锁定至%1</source>
      <translation>, locked until %1</translation>
    </message>
    <message>
      <location filename="../../ui/admin/admin_window.py" line="445" />
      <source>，待修改初始密码</source>
      <translation>, one-time password</translation>
    </message>
    <message>
      <location filename="../../ui/admin/admin_window.py" line="484" />
      <source>账户 %1 已可登录。</source>
      <translation>The account %1 can log in again.</translation>
    </message>
    <message>
      <location filename="../../ui/admin/admin_window.py" line="488" />
      <source>停用账户</source>
      <translation>Disable account</translation>
    </message>
    <message>
      <location filename="../../ui/admin/admin_window.py" line="488" />
      <source>停用账户 %1？它将不能登录，其数据库密钥随即删除；再次启用时须设新密码。</source>
      <translation>Disable the account %1? It can no longer log in and its database key is removed; enabling it again needs a new password.</translation>
    </message>
  </context>
  <context>
    <name>AdminColumns</name>
    <message>
      <location filename="../../ui/admin/admin_window.py" line="174" />
      <location filename="../../ui/admin/admin_window.py" line="299" />
      <location filename="../../ui/admin/admin_window.py" line="425" />
      <source>队组</source>
      <translation>Team</translation>
    </message>
    <message>
      <location filename="../../ui/admin/admin_window.py" line="174" />
      <source>在岗人数</source>
      <translation>People</translation>
    </message>
    <message>
      <location filename="../../ui/admin/admin_window.py" line="175" />
      <source>队长</source>
      <translation>Team leader</translation>
    </message>
    <message>
      <location filename="../../ui/admin/admin_window.py" line="176" />
      <location filename="../../ui/admin/admin_window.py" line="426" />
      <source>状态</source>
      <translation>Status</translation>
    </message>
    <message>
      <location filename="../../ui/admin/admin_window.py" line="296" />
      <location filename="../../ui/admin/admin_window.py" line="424" />
      <source>姓名</source>
      <translation>Name</translation>
    </message>
    <message>
      <location filename="../../ui/admin/admin_window.py" line="296" />
      <source>警号</source>
      <translation>Badge no.</translation>
    </message>
    <message>
      <location filename="../../ui/admin/admin_window.py" line="297" />
      <source>职责</source>
      <translation>Role</translation>
    </message>
    <message>
      <location filename="../../ui/admin/admin_window.py" line="299" />
      <source>职务</source>
      <translation>Duty title</translation>
    </message>
    <message>
      <location filename="../../ui/admin/admin_window.py" line="299" />
      <source>手机</source>
      <translation>Mobile</translation>
    </message>
    <message>
      <location filename="../../ui/admin/admin_window.py" line="424" />
      <source>用户名</source>
      <extracomment>The last one-time password dialog (tests read it; it is shown once).</extracomment>
      <translation>User name</translation>
    </message>
    <message>
      <location filename="../../ui/admin/admin_window.py" line="425" />
      <source>角色</source>
      <translation>Role</translation>
    </message>
    <message>
      <location filename="../../ui/admin/admin_window.py" line="427" />
      <source>最近登录</source>
      <translation>Last log-in</translation>
    </message>
  </context>
  <context>
    <name>AdminWindow</name>
    <message>
      <location filename="../../ui/admin/admin_window.py" line="595" />
      <source>系统管理</source>
      <translation>Administration</translation>
    </message>
    <message>
      <location filename="../../ui/admin/admin_window.py" line="602" />
      <source>派出所信息</source>
      <translation>Station</translation>
    </message>
    <message>
      <location filename="../../ui/admin/admin_window.py" line="602" />
      <source>队组管理</source>
      <translation>Teams</translation>
    </message>
    <message>
      <location filename="../../ui/admin/admin_window.py" line="603" />
      <source>人员管理</source>
      <translation>People</translation>
    </message>
    <message>
      <location filename="../../ui/admin/admin_window.py" line="603" />
      <source>账户管理</source>
      <translation>Accounts</translation>
    </message>
    <message>
      <location filename="../../ui/admin/admin_window.py" line="604" />
      <source>系统设置</source>
      <translation>Settings</translation>
    </message>
  </context>
  <context>
    <name>AuditDialog</name>
    <message>
      <location filename="../../ui/trust/audit_view.py" line="28" />
      <source>审计日志</source>
      <translation>Audit trail</translation>
    </message>
    <message>
      <location filename="../../ui/trust/audit_view.py" line="31" />
      <source>哈希链校验：完整</source>
      <translation>Hash chain check: intact</translation>
    </message>
    <message>
      <location filename="../../ui/trust/audit_view.py" line="32" />
      <source>哈希链校验：发现 %1 处问题：</source>
      <translation>Hash chain check: %1 problems found:</translation>
    </message>
    <message>
      <location filename="../../ui/trust/audit_view.py" line="38" />
      <location filename="../../ui/trust/audit_view.py" line="43" />
      <location filename="../../ui/trust/audit_view.py" line="48" />
      <source>账户</source>
      <translation>Account</translation>
    </message>
    <message>
      <location filename="../../ui/trust/audit_view.py" line="41" />
      <source>全部模块</source>
      <translation>All modules</translation>
    </message>
    <message>
      <location filename="../../ui/trust/audit_view.py" line="41" />
      <source>案件</source>
      <translation>Cases</translation>
    </message>
    <message>
      <location filename="../../ui/trust/audit_view.py" line="41" />
      <source>矛盾纠纷</source>
      <translation>Disputes</translation>
    </message>
    <message>
      <location filename="../../ui/trust/audit_view.py" line="42" />
      <source>重点人员</source>
      <translation>Key persons</translation>
    </message>
    <message>
      <location filename="../../ui/trust/audit_view.py" line="42" />
      <source>等级变更</source>
      <translation>Level changes</translation>
    </message>
    <message>
      <location filename="../../ui/trust/audit_view.py" line="43" />
      <source>工作记录</source>
      <translation>Actions</translation>
    </message>
    <message>
      <location filename="../../ui/trust/audit_view.py" line="48" />
      <source>序号</source>
      <translation>No.</translation>
    </message>
    <message>
      <location filename="../../ui/trust/audit_view.py" line="48" />
      <source>时间</source>
      <translation>Time</translation>
    </message>
    <message>
      <location filename="../../ui/trust/audit_view.py" line="48" />
      <source>角色</source>
      <translation>Role</translation>
    </message>
    <message>
      <location filename="../../ui/trust/audit_view.py" line="49" />
      <source>操作</source>
      <translation>Action</translation>
    </message>
    <message>
      <location filename="../../ui/trust/audit_view.py" line="49" />
      <source>模块</source>
      <translation>Module</translation>
    </message>
    <message>
      <location filename="../../ui/trust/audit_view.py" line="49" />
      <source>变更内容</source>
      <translation>Changes</translation>
    </message>
  </context>
  <context>
    <name>BackupDialog</name>
    <message>
      <location filename="../../ui/trust/backup_dialog.py" line="38" />
      <source>备份与恢复</source>
      <translation>Backups and restore</translation>
    </message>
    <message>
      <location filename="../../ui/trust/backup_dialog.py" line="41" />
      <source>备份位置：%1</source>
      <translation>Backup folder: %1</translation>
    </message>
    <message>
      <location filename="../../ui/trust/backup_dialog.py" line="45" />
      <source>时间</source>
      <translation>Time</translation>
    </message>
    <message>
      <location filename="../../ui/trust/backup_dialog.py" line="45" />
      <source>类型</source>
      <translation>Type</translation>
    </message>
    <message>
      <location filename="../../ui/trust/backup_dialog.py" line="45" />
      <source>大小</source>
      <translation>Size</translation>
    </message>
    <message>
      <location filename="../../ui/trust/backup_dialog.py" line="45" />
      <source>校验</source>
      <translation>Check</translation>
    </message>
    <message>
      <location filename="../../ui/trust/backup_dialog.py" line="51" />
      <source>立即备份</source>
      <translation>Back up now</translation>
    </message>
    <message>
      <location filename="../../ui/trust/backup_dialog.py" line="53" />
      <source>从所选备份恢复…</source>
      <translation>Restore from the selected backup…</translation>
    </message>
    <message>
      <location filename="../../ui/trust/backup_dialog.py" line="59" />
      <source>只有系统管理员可以从备份恢复</source>
      <translation>Only the administrator may restore from a backup</translation>
    </message>
    <message>
      <location filename="../../ui/trust/backup_dialog.py" line="69" />
      <source>还没有备份。程序每天启动后会自动备份一次；也可以点击“立即备份”。</source>
      <extracomment>Shown instead of an empty list: what backups are and when the first one is made.</extracomment>
      <translation>No backups yet. The program backs up once a day after it starts; you can also click Back up now.</translation>
    </message>
    <message>
      <location filename="../../ui/trust/backup_dialog.py" line="87" />
      <source>完好</source>
      <translation>Intact</translation>
    </message>
    <message>
      <location filename="../../ui/trust/backup_dialog.py" line="87" />
      <source>损坏：</source>
      <translation>Damaged: </translation>
    </message>
    <message>
      <location filename="../../ui/trust/backup_dialog.py" line="103" />
      <source>还没有可恢复的备份</source>
      <translation>No backup to restore yet</translation>
    </message>
    <message>
      <location filename="../../ui/trust/backup_dialog.py" line="110" />
      <source>备份失败</source>
      <translation>Backup failed</translation>
    </message>
    <message>
      <location filename="../../ui/trust/backup_dialog.py" line="115" />
      <source>备份完成</source>
      <translation>Backup done</translation>
    </message>
    <message>
      <location filename="../../ui/trust/backup_dialog.py" line="115" />
      <source>已备份并校验：%1</source>
      <translation>Backed up and verified: %1</translation>
    </message>
    <message>
      <location filename="../../ui/trust/backup_dialog.py" line="123" />
      <source>不能恢复</source>
      <translation>Cannot restore</translation>
    </message>
    <message>
      <location filename="../../ui/trust/backup_dialog.py" line="123" />
      <source>该备份校验失败，请选择其他备份。</source>
      <translation>This backup failed its check; choose another one.</translation>
    </message>
    <message>
      <location filename="../../ui/trust/backup_dialog.py" line="126" />
      <source>从备份恢复</source>
      <translation>Restore from backup</translation>
    </message>
    <message>
      <location filename="../../ui/trust/backup_dialog.py" line="127" />
      <source>将用 %1 的备份替换当前数据库。当前状态会先另存为“恢复前”备份。恢复后程序将关闭，请重新启动。是否继续？</source>
      <translation>The current database will be replaced by the backup of %1. The current state is first kept as a 'before restore' backup. The program closes after the restore; start it again. Continue?</translation>
    </message>
  </context>
  <context>
    <name>BriefingWindow</name>
    <message>
      <location filename="../../ui/briefing/window.py" line="93" />
      <location filename="../../ui/briefing/window.py" line="162" />
      <source>晨会简报</source>
      <extracomment>Seconds each slide stays before the next comes up on its own; 0 turns rotation off. Minutes between reloads of the data. Seconds full names stay on the wall after a leader unmasks them.</extracomment>
      <translation>Morning briefing</translation>
    </message>
    <message>
      <location filename="../../ui/briefing/window.py" line="93" />
      <location filename="../../ui/briefing/window.py" line="162" />
      <source>每周会商研判</source>
      <translation>Weekly review</translation>
    </message>
    <message>
      <location filename="../../ui/briefing/window.py" line="157" />
      <source>刷新失败：%1</source>
      <extracomment>What the last paint put on the wall (the tests read it): every string, and the cut ones.</extracomment>
      <translation>Refresh failed: %1</translation>
    </message>
    <message>
      <location filename="../../ui/briefing/window.py" line="175" />
      <source>仅所领导可查看完整姓名和身份证号</source>
      <translation>Only the station leader may see full names and ID numbers</translation>
    </message>
    <message>
      <location filename="../../ui/briefing/window.py" line="205" />
      <source>保存讲义</source>
      <translation>Save handout</translation>
    </message>
    <message>
      <location filename="../../ui/briefing/window.py" line="206" />
      <source>PDF 文件 (*.pdf)</source>
      <translation>PDF files (*.pdf)</translation>
    </message>
    <message>
      <location filename="../../ui/briefing/window.py" line="217" />
      <source>讲义已保存：%1</source>
      <translation>Handout saved: %1</translation>
    </message>
  </context>
  <context>
    <name>ChangePasswordDialog</name>
    <message>
      <location filename="../../ui/admin/dialogs.py" line="27" />
      <source>修改密码</source>
      <translation>Change password</translation>
    </message>
    <message>
      <location filename="../../ui/admin/dialogs.py" line="29" />
      <source>这是管理员设置的初始密码，请设置您自己的密码后再开始工作。</source>
      <translation>This is the one-time password the administrator set: choose your own before you start.</translation>
    </message>
    <message>
      <location filename="../../ui/admin/dialogs.py" line="30" />
      <source>修改账户 %1 的密码。</source>
      <translation>Change the password of %1.</translation>
    </message>
    <message>
      <location filename="../../ui/admin/dialogs.py" line="43" />
      <source>原密码：</source>
      <translation>Current password:</translation>
    </message>
    <message>
      <location filename="../../ui/admin/dialogs.py" line="44" />
      <source>新密码（至少8位）：</source>
      <translation>New password (8 or more):</translation>
    </message>
    <message>
      <location filename="../../ui/admin/dialogs.py" line="45" />
      <source>再次输入新密码：</source>
      <translation>New password again:</translation>
    </message>
    <message>
      <location filename="../../ui/admin/dialogs.py" line="61" />
      <source>两次输入的新密码不一致</source>
      <translation>The two new passwords differ</translation>
    </message>
  </context>
  <context>
    <name>ColumnPage</name>
    <message>
      <location filename="../../ui/ledger/import_wizard.py" line="463" />
      <source>列映射</source>
      <translation>Column mapping</translation>
    </message>
    <message>
      <location filename="../../ui/ledger/import_wizard.py" line="464" />
      <source>常用的列名已自动对应；其余的列请选择对应的字段，或选“不导入”。选择按本所、按表头记住，下次自动套用。</source>
      <translation>Common column names were matched automatically; for the other columns choose a field, or 'do not import'. Choices are remembered for this station and this header, and applied next time.</translation>
    </message>
    <message>
      <location filename="../../ui/ledger/import_wizard.py" line="466" />
      <source>台账中的列</source>
      <translation>Ledger column</translation>
    </message>
    <message>
      <location filename="../../ui/ledger/import_wizard.py" line="466" />
      <source>示例</source>
      <translation>Example</translation>
    </message>
    <message>
      <location filename="../../ui/ledger/import_wizard.py" line="466" />
      <source>对应字段</source>
      <translation>Field</translation>
    </message>
    <message>
      <location filename="../../ui/ledger/import_wizard.py" line="484" />
      <source>已套用上次为同样表头保存的映射。</source>
      <translation>Applied the mapping saved last time for the same header.</translation>
    </message>
    <message>
      <location filename="../../ui/ledger/import_wizard.py" line="492" />
      <source>（第%1列，无标题）</source>
      <translation>(column %1, untitled)</translation>
    </message>
    <message>
      <location filename="../../ui/ledger/import_wizard.py" line="495" />
      <source>不导入</source>
      <translation>Do not import</translation>
    </message>
    <message>
      <location filename="../../ui/ledger/import_wizard.py" line="539" />
      <source>（请选择）</source>
      <translation>(choose)</translation>
    </message>
    <message>
      <location filename="../../ui/ledger/import_wizard.py" line="550" />
      <source>已办结、已转案的行没有%1时，按此日期（如台账截止日期）：</source>
      <translation>Closed or converted rows without a %1 take this date (e.g. the ledger's cut-off day):</translation>
    </message>
    <message>
      <location filename="../../ui/ledger/import_wizard.py" line="551" />
      <source>转案件的行新建案件时的%1：</source>
      <translation>%1 of the case made for a row converted to a case:</translation>
    </message>
    <message>
      <location filename="../../ui/ledger/import_wizard.py" line="556" />
      <source>整本台账的%1：</source>
      <translation>%1 for the whole ledger:</translation>
    </message>
    <message>
      <location filename="../../ui/ledger/import_wizard.py" line="557" />
      <source>台账中没有这些必填列：%1。请为它们选择对应的列，或在下面为整本台账填写一个值。</source>
      <translation>The ledger lacks these required columns: %1. Choose a column for each, or give one value for the whole ledger below.</translation>
    </message>
  </context>
  <context>
    <name>DashboardView</name>
    <message>
      <location filename="../../ui/dashboard/dashboard.py" line="81" />
      <source> 期</source>
      <extracomment>The breakdown charts (分类统计): the trends dimension each stacks by; a bar opens its records.</extracomment>
      <translation> periods</translation>
    </message>
    <message>
      <location filename="../../ui/dashboard/dashboard.py" line="82" />
      <source>导出图片…</source>
      <translation>Export image…</translation>
    </message>
    <message>
      <location filename="../../ui/dashboard/dashboard.py" line="88" />
      <source>图表</source>
      <translation>Chart</translation>
    </message>
    <message>
      <location filename="../../ui/dashboard/dashboard.py" line="88" />
      <source>模块</source>
      <translation>Module</translation>
    </message>
    <message>
      <location filename="../../ui/dashboard/dashboard.py" line="89" />
      <source>周期</source>
      <translation>Period</translation>
    </message>
    <message>
      <location filename="../../ui/dashboard/dashboard.py" line="89" />
      <source>显示</source>
      <translation>Show</translation>
    </message>
    <message>
      <location filename="../../ui/dashboard/dashboard.py" line="193" />
      <location filename="../../ui/dashboard/dashboard.py" line="205" />
      <location filename="../../ui/dashboard/dashboard.py" line="208" />
      <source>件</source>
      <translation>records</translation>
    </message>
    <message>
      <location filename="../../ui/dashboard/dashboard.py" line="193" />
      <source>人</source>
      <translation>persons</translation>
    </message>
    <message>
      <location filename="../../ui/dashboard/dashboard.py" line="211" />
      <source>超期占比</source>
      <translation>Overdue share</translation>
    </message>
    <message>
      <location filename="../../ui/dashboard/dashboard.py" line="216" />
      <source>天</source>
      <translation>days</translation>
    </message>
    <message>
      <location filename="../../ui/dashboard/dashboard.py" line="219" />
      <source>%1：%2</source>
      <translation>%1: %2</translation>
    </message>
    <message>
      <location filename="../../ui/dashboard/dashboard.py" line="222" />
      <source>%1　%2 至 %3</source>
      <translation>%1   %2 to %3</translation>
    </message>
    <message>
      <location filename="../../ui/dashboard/dashboard.py" line="223" />
      <source>（数据截至 %1）</source>
      <translation> (data as of %1)</translation>
    </message>
    <message>
      <location filename="../../ui/dashboard/dashboard.py" line="235" />
      <source>超期</source>
      <translation>Overdue</translation>
    </message>
    <message>
      <location filename="../../ui/dashboard/dashboard.py" line="246" />
      <source>导出图片</source>
      <translation>Export image</translation>
    </message>
    <message>
      <location filename="../../ui/dashboard/dashboard.py" line="247" />
      <source>PNG 图片 (*.png)</source>
      <translation>PNG images (*.png)</translation>
    </message>
    <message>
      <location filename="../../ui/dashboard/dashboard.py" line="32" />
      <source>各等级数量走势（期末）</source>
      <translation>Records by level (period end)</translation>
    </message>
    <message>
      <location filename="../../ui/dashboard/dashboard.py" line="33" />
      <source>新增与办结</source>
      <translation>New and closed</translation>
    </message>
    <message>
      <location filename="../../ui/dashboard/dashboard.py" line="34" />
      <source>破刑事案件与去年同期</source>
      <translation>Criminal cases solved vs a year earlier</translation>
    </message>
    <message>
      <location filename="../../ui/dashboard/dashboard.py" line="35" />
      <source>矛盾纠纷排查发现与化解</source>
      <translation>Disputes found and resolved</translation>
    </message>
    <message>
      <location filename="../../ui/dashboard/dashboard.py" line="36" />
      <source>重点人员各等级（期末）</source>
      <translation>Key persons by level (period end)</translation>
    </message>
    <message>
      <location filename="../../ui/dashboard/dashboard.py" line="37" />
      <source>超期占比（期末）</source>
      <translation>Overdue share (period end)</translation>
    </message>
    <message>
      <location filename="../../ui/dashboard/dashboard.py" line="38" />
      <source>录入至办结平均天数</source>
      <translation>Average days from entry to closing</translation>
    </message>
    <message>
      <location filename="../../ui/dashboard/dashboard.py" line="39" />
      <source>刑事、行政案件受案</source>
      <translation>Cases accepted, criminal and administrative</translation>
    </message>
    <message>
      <location filename="../../ui/dashboard/dashboard.py" line="40" />
      <source>各案别受案</source>
      <translation>Cases accepted by category</translation>
    </message>
    <message>
      <location filename="../../ui/dashboard/dashboard.py" line="41" />
      <source>各类矛盾纠纷排查发现</source>
      <translation>Disputes found by category</translation>
    </message>
    <message>
      <location filename="../../ui/dashboard/dashboard.py" line="42" />
      <source>各重点领域矛盾纠纷排查发现</source>
      <translation>Disputes found by focus area</translation>
    </message>
    <message>
      <location filename="../../ui/dashboard/dashboard.py" line="47" />
      <source>按日</source>
      <translation>By day</translation>
    </message>
    <message>
      <location filename="../../ui/dashboard/dashboard.py" line="47" />
      <source>按周</source>
      <translation>By week</translation>
    </message>
    <message>
      <location filename="../../ui/dashboard/dashboard.py" line="48" />
      <source>按月</source>
      <translation>By month</translation>
    </message>
    <message>
      <location filename="../../ui/dashboard/dashboard.py" line="48" />
      <source>按季度</source>
      <translation>By quarter</translation>
    </message>
    <message>
      <location filename="../../ui/dashboard/dashboard.py" line="49" />
      <source>按年</source>
      <translation>By year</translation>
    </message>
  </context>
  <context>
    <name>ExportDialog</name>
    <message>
      <location filename="../../ui/sync/export_dialog.py" line="43" />
      <source>导出数据包（报送分局）</source>
      <translation>Export a package (to the branch office)</translation>
    </message>
    <message>
      <location filename="../../ui/sync/export_dialog.py" line="48" />
      <source>登记分局公钥…</source>
      <translation>Register the branch key…</translation>
    </message>
    <message>
      <location filename="../../ui/sync/export_dialog.py" line="101" />
      <source>分局：%1（公钥指纹 %2）</source>
      <translation>Branch office: %1 (key fingerprint %2)</translation>
    </message>
    <message>
      <location filename="../../ui/sync/export_dialog.py" line="52" />
      <source>完整数据包（不只是变更）</source>
      <translation>Full package (not only the changes)</translation>
    </message>
    <message>
      <location filename="../../ui/sync/export_dialog.py" line="53" />
      <source>强制导出（忽略阻止导出的问题）</source>
      <translation>Force the export (ignore the problems that block it)</translation>
    </message>
    <message>
      <location filename="../../ui/sync/export_dialog.py" line="55" />
      <source>选择文件夹…</source>
      <translation>Choose folder…</translation>
    </message>
    <message>
      <location filename="../../ui/sync/export_dialog.py" line="64" />
      <source>导出</source>
      <translation>Export</translation>
    </message>
    <message>
      <location filename="../../ui/sync/export_dialog.py" line="69" />
      <source>保存到：</source>
      <translation>Save to:</translation>
    </message>
    <message>
      <location filename="../../ui/sync/export_dialog.py" line="81" />
      <source>数据质量检查：</source>
      <translation>Data-quality check:</translation>
    </message>
    <message>
      <location filename="../../ui/sync/export_dialog.py" line="96" />
      <source>只有所领导或系统管理员可以导出数据包</source>
      <translation>Only the station leader or the administrator may export packages</translation>
    </message>
    <message>
      <location filename="../../ui/sync/export_dialog.py" line="103" />
      <source>更换分局公钥…</source>
      <translation>Change the branch key…</translation>
    </message>
    <message>
      <location filename="../../ui/sync/export_dialog.py" line="105" />
      <source>尚未登记分局公钥。请向分局索取公钥文件（branch.pub），点击“登记分局公钥…”选择它，并与分局核对显示的指纹。</source>
      <translation>No branch key registered yet. Ask the branch office for its key file (branch.pub), click Register the branch key… to choose it, and check the fingerprint shown with the branch office.</translation>
    </message>
    <message>
      <location filename="../../ui/sync/export_dialog.py" line="121" />
      <source>无法登记分局公钥：</source>
      <translation>Cannot register the branch key: </translation>
    </message>
    <message>
      <location filename="../../ui/sync/export_dialog.py" line="125" />
      <source>已登记分局公钥，请与分局核对指纹：%1</source>
      <translation>Branch key registered; check this fingerprint with the branch office: %1</translation>
    </message>
    <message>
      <location filename="../../ui/sync/export_dialog.py" line="136" />
      <source>选择分局公钥文件</source>
      <translation>Choose the branch key file</translation>
    </message>
    <message>
      <location filename="../../ui/sync/export_dialog.py" line="137" />
      <source>分局公钥 (*.pub);;所有文件 (*)</source>
      <translation>Branch key (*.pub);;All files (*)</translation>
    </message>
    <message>
      <location filename="../../ui/sync/export_dialog.py" line="146" />
      <source>未发现问题</source>
      <translation>No problems found</translation>
    </message>
    <message>
      <location filename="../../ui/sync/export_dialog.py" line="148" />
      <source>阻止导出</source>
      <translation>Blocks the export</translation>
    </message>
    <message>
      <location filename="../../ui/sync/export_dialog.py" line="148" />
      <source>警告</source>
      <translation>Warning</translation>
    </message>
    <message>
      <location filename="../../ui/sync/export_dialog.py" line="166" />
      <source>选择保存数据包的文件夹</source>
      <translation>Choose the folder for the package</translation>
    </message>
    <message>
      <location filename="../../ui/sync/export_dialog.py" line="179" />
      <source>正在导出…</source>
      <translation>Exporting…</translation>
    </message>
    <message>
      <location filename="../../ui/sync/export_dialog.py" line="188" />
      <source>正在导出数据包…</source>
      <translation>Exporting the package…</translation>
    </message>
    <message>
      <location filename="../../ui/sync/export_dialog.py" line="194" />
      <source>导出失败：</source>
      <translation>Export failed: </translation>
    </message>
    <message>
      <location filename="../../ui/sync/export_dialog.py" line="200" />
      <source>完整数据包</source>
      <translation>full package</translation>
    </message>
    <message>
      <location filename="../../ui/sync/export_dialog.py" line="200" />
      <source>增量数据包</source>
      <translation>delta package</translation>
    </message>
    <message>
      <location filename="../../ui/sync/export_dialog.py" line="201" />
      <source>已导出%1：%2（序号 %3，%4 条变更），已读回校验。</source>
      <translation>Exported the %1: %2 (sequence %3, %4 changes), read back and verified.</translation>
    </message>
  </context>
  <context>
    <name>FilePage</name>
    <message>
      <location filename="../../ui/ledger/import_wizard.py" line="224" />
      <location filename="../../ui/ledger/import_wizard.py" line="257" />
      <source>选择台账文件</source>
      <translation>Choose the ledger file</translation>
    </message>
    <message>
      <location filename="../../ui/ledger/import_wizard.py" line="225" />
      <source>支持 Excel（.xlsx）和 CSV（UTF-8 或 GBK/GB18030）。表头上方的标题行、空行和合计行会自动跳过。</source>
      <translation>Excel (.xlsx) and CSV (UTF-8 or GBK/GB18030). Title rows above the header, blank rows and total rows are skipped automatically.</translation>
    </message>
    <message>
      <location filename="../../ui/ledger/import_wizard.py" line="227" />
      <source>台账文件路径</source>
      <translation>Ledger file path</translation>
    </message>
    <message>
      <location filename="../../ui/ledger/import_wizard.py" line="229" />
      <source>浏览…</source>
      <translation>Browse…</translation>
    </message>
    <message>
      <location filename="../../ui/ledger/import_wizard.py" line="235" />
      <source>生成空白台账模板…</source>
      <translation>Make a blank ledger template…</translation>
    </message>
    <message>
      <location filename="../../ui/ledger/import_wizard.py" line="242" />
      <source>台账文件：</source>
      <translation>Ledger file:</translation>
    </message>
    <message>
      <location filename="../../ui/ledger/import_wizard.py" line="243" />
      <source>台账类型：</source>
      <translation>Ledger type:</translation>
    </message>
    <message>
      <location filename="../../ui/ledger/import_wizard.py" line="258" />
      <source>台账 (*.xlsx *.csv);;所有文件 (*)</source>
      <translation>Ledgers (*.xlsx *.csv);;All files (*)</translation>
    </message>
    <message>
      <location filename="../../ui/ledger/import_wizard.py" line="263" />
      <source>保存空白台账模板</source>
      <translation>Save blank ledger template</translation>
    </message>
    <message>
      <location filename="../../ui/ledger/import_wizard.py" line="264" />
      <source>Excel (*.xlsx)</source>
      <translation>Excel (*.xlsx)</translation>
    </message>
  </context>
  <context>
    <name>FirstStartDialog</name>
    <message>
      <location filename="../../ui/admin/first_start.py" line="53" />
      <source>欢迎使用</source>
      <translation>Welcome</translation>
    </message>
    <message>
      <location filename="../../ui/admin/first_start.py" line="54" />
      <source>派出所情报信息分级分类跟踪系统</source>
      <translation>Police Station Graded Tracking System</translation>
    </message>
    <message>
      <location filename="../../ui/admin/first_start.py" line="56" />
      <source>第一次使用本程序。请选择：</source>
      <translation>First start. Choose:</translation>
    </message>
    <message>
      <location filename="../../ui/admin/first_start.py" line="57" />
      <source>试用演示派出所
（虚构数据，熟悉系统用）</source>
      <translation>Try the demo station
(fictitious data, to get to know the program)</translation>
    </message>
    <message>
      <location filename="../../ui/admin/first_start.py" line="58" />
      <source>设置本派出所
（新建正式数据库：派出所、队组、人员、账户）</source>
      <translation>Set up this station
(a new, real database: station, teams, people, accounts)</translation>
    </message>
    <message>
      <location filename="../../ui/admin/first_start.py" line="59" />
      <source>打开已有的派出所数据库…</source>
      <translation>Open an existing station database…</translation>
    </message>
    <message>
      <location filename="../../ui/admin/first_start.py" line="60" />
      <source>本所数据库在派出所服务器上…</source>
      <translation>This station's database is on a station server…</translation>
    </message>
  </context>
  <context>
    <name>FreshnessView</name>
    <message>
      <location filename="../../ui/branch/freshness_view.py" line="36" />
      <source>核查超期</source>
      <extracomment>Freshness state -&gt; theme token of the row's background (the level colours' meaning: red = act).</extracomment>
      <translation>Checks overdue</translation>
    </message>
    <message>
      <location filename="../../ui/branch/freshness_view.py" line="36" />
      <source>回访超期</source>
      <translation>Follow-ups overdue</translation>
    </message>
    <message>
      <location filename="../../ui/branch/freshness_view.py" line="37" />
      <source>失控·非访·滋事</source>
      <translation>Lost control · petitions · trouble</translation>
    </message>
    <message>
      <location filename="../../ui/branch/freshness_view.py" line="50" />
      <source>导入数据包…</source>
      <translation>Import packages…</translation>
    </message>
    <message>
      <location filename="../../ui/branch/freshness_view.py" line="52" />
      <source>刷新</source>
      <translation>Refresh</translation>
    </message>
    <message>
      <location filename="../../ui/branch/freshness_view.py" line="74" />
      <source>（已覆盖）</source>
      <extracomment>The seed's workflow figures of each station (this month), by station uuid.</extracomment>
      <translation> (superseded)</translation>
    </message>
    <message>
      <location filename="../../ui/branch/freshness_view.py" line="98" />
      <source>拒绝 %1：%2</source>
      <translation>Rejected %1: %2</translation>
    </message>
    <message>
      <location filename="../../ui/branch/freshness_view.py" line="107" />
      <source>选择数据包</source>
      <translation>Choose a data package</translation>
    </message>
    <message>
      <location filename="../../ui/branch/freshness_view.py" line="108" />
      <source>派出所数据包 (*.stpkg)</source>
      <translation>Station data packages (*.stpkg)</translation>
    </message>
  </context>
  <context>
    <name>LedgerImportWizard</name>
    <message>
      <location filename="../../ui/ledger/import_wizard.py" line="131" />
      <source>导入台账</source>
      <extracomment>Page ids: one column/value/officer trio per sheet being imported, the first at 2-4.</extracomment>
      <translation>Import ledger</translation>
    </message>
    <message>
      <location filename="../../ui/ledger/import_wizard.py" line="456" />
      <source>工作表“%1”（%2台账）</source>
      <translation>Sheet '%1' (%2 ledger)</translation>
    </message>
  </context>
  <context>
    <name>LoginDialog</name>
    <message>
      <location filename="../../ui/login_dialog.py" line="23" />
      <location filename="../../ui/login_dialog.py" line="52" />
      <source>登录</source>
      <extracomment>A station or branch server (app.server.setup.ServerAddress): the account logs in as its own PostgreSQL user there, and the dialog names the server instead of a file.</extracomment>
      <translation>Log in</translation>
    </message>
    <message>
      <location filename="../../ui/login_dialog.py" line="26" />
      <source>派出所情报信息分级分类跟踪系统</source>
      <translation>Police Station Graded Tracking System</translation>
    </message>
    <message>
      <location filename="../../ui/login_dialog.py" line="28" />
      <source>服务器：%1</source>
      <translation>Server: %1</translation>
    </message>
    <message>
      <location filename="../../ui/login_dialog.py" line="29" />
      <source>数据库：%1</source>
      <translation>Database: %1</translation>
    </message>
    <message>
      <location filename="../../ui/login_dialog.py" line="34" />
      <source>用户名</source>
      <translation>User name</translation>
    </message>
    <message>
      <location filename="../../ui/login_dialog.py" line="37" />
      <source>密码</source>
      <translation>Password</translation>
    </message>
    <message>
      <location filename="../../ui/login_dialog.py" line="49" />
      <source>用户名：</source>
      <translation>User name:</translation>
    </message>
    <message>
      <location filename="../../ui/login_dialog.py" line="50" />
      <source>密码：</source>
      <translation>Password:</translation>
    </message>
    <message>
      <location filename="../../ui/login_dialog.py" line="74" />
      <source>请输入用户名</source>
      <translation>Enter the user name</translation>
    </message>
    <message>
      <location filename="../../ui/login_dialog.py" line="106" />
      <source>须先设置自己的密码才能使用系统</source>
      <translation>Choose your own password first</translation>
    </message>
  </context>
  <context>
    <name>MainWindow</name>
    <message>
      <location filename="../../ui/main_window.py" line="58" />
      <source>未命名派出所</source>
      <extracomment>The tables built so far.</extracomment>
      <translation>Unnamed station</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="60" />
      <source>%1 — 派出所情报信息分级分类跟踪系统</source>
      <translation>%1 — Police Station Graded Tracking System</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="67" />
      <source>演示数据库 — 数据为虚构，仅供熟悉系统使用，请勿录入真实案件和人员信息</source>
      <translation>Demo database — the data is fictitious, for getting to know the system; do not enter real cases or people</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="68" />
      <source>（首次启动已自动创建）</source>
      <translation> (created automatically at first start)</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="93" />
      <source>数据库：%1</source>
      <extracomment>An empty page stands in for each table until its tab is first shown.</extracomment>
      <translation>Database: %1</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="98" />
      <source>当前用户：%1（%2）</source>
      <translation>User: %1 (%2)</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="156" />
      <source>文件(&amp;F)</source>
      <translation>&amp;File</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="157" />
      <source>刷新(&amp;R)</source>
      <translation>&amp;Refresh</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="161" />
      <source>备份与恢复(&amp;B)…</source>
      <translation>&amp;Backups and restore…</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="165" />
      <source>PostgreSQL数据库由服务器备份（pg_dump）</source>
      <translation>A PostgreSQL database is backed up by its server (pg_dump)</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="167" />
      <source>导入台账(&amp;I)…</source>
      <translation>&amp;Import ledger…</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="171" />
      <source>导出数据包（报送分局）(&amp;E)…</source>
      <translation>&amp;Export package (to the branch office)…</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="177" />
      <source>工具(&amp;T)</source>
      <translation>&amp;Tools</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="179" />
      <source>统计分析(&amp;S)</source>
      <translation>&amp;Statistics</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="182" />
      <source>报表(&amp;P)…</source>
      <translation>&amp;Reports…</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="185" />
      <source>晨会简报(&amp;M)</source>
      <translation>&amp;Morning briefing</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="189" />
      <source>每周会商研判(&amp;W)</source>
      <translation>&amp;Weekly consultation</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="195" />
      <source>110警情(&amp;1)…</source>
      <translation>110 &amp;alerts…</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="195" />
      <source>串并侦查(&amp;C)…</source>
      <translation>&amp;Case series…</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="196" />
      <source>天网布控名单(&amp;K)…</source>
      <translation>Camera watch &amp;list…</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="196" />
      <source>融调化解(&amp;G)…</source>
      <translation>Mediation and hand-&amp;overs…</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="202" />
      <source>审计日志(&amp;A)…</source>
      <translation>&amp;Audit trail…</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="206" />
      <source>退出(&amp;X)</source>
      <translation>E&amp;xit</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="292" />
      <source>记录(&amp;E)</source>
      <translation>R&amp;ecords</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="302" />
      <source>新建记录(&amp;N)…</source>
      <translation>&amp;New record…</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="304" />
      <source>打开记录(&amp;O)</source>
      <translation>&amp;Open record</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="306" />
      <source>搜索(&amp;S)</source>
      <translation>&amp;Search</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="308" />
      <source>下一条记录</source>
      <translation>Next record</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="309" />
      <source>上一条记录</source>
      <translation>Previous record</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="311" />
      <source>我的工作(&amp;W)…</source>
      <translation>My &amp;work…</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="312" />
      <source>导出当前视图(&amp;X)…</source>
      <translation>E&amp;xport current view…</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="313" />
      <source>清除筛选</source>
      <translation>Clear filters</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="315" />
      <source>切换到%1</source>
      <translation>Go to %1</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="319" />
      <source>界面语言(&amp;L)</source>
      <translation>&amp;Language</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="400" />
      <source>恢复失败</source>
      <extracomment>The windows made by a language change (the application holds no other reference).</extracomment>
      <translation>Restore failed</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="402" />
      <source>已恢复</source>
      <translation>Restored</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="402" />
      <source>已从备份恢复。程序将关闭，请重新启动。</source>
      <translation>Restored from the backup. The program will close; please start it again.</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="458" />
      <source>统计分析</source>
      <translation>Statistics</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="482" />
      <source>无法打开晨会简报</source>
      <translation>Cannot open the briefing</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="497" />
      <source>各所数据</source>
      <translation>Stations</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="531" />
      <source>统计分析：%1</source>
      <translation>Statistics: %1</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="537" />
      <source>%1：显示 %2 条</source>
      <translation>%1: %2 shown</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="540" />
      <source>，超期 %1 条</source>
      <translation>, %1 overdue</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="544" />
      <source>（已隐藏：%1）</source>
      <translation> (hidden: %1)</translation>
    </message>
    <message>
      <location filename="../../ui/window_frame.py" line="72" />
      <source>正在打开数据库…</source>
      <translation>Opening the database…</translation>
    </message>
    <message>
      <location filename="../../ui/window_frame.py" line="56" />
      <source>派出所情报信息分级分类跟踪系统</source>
      <translation>Police Station Graded Tracking System</translation>
    </message>
  </context>
  <context>
    <name>MyWork</name>
    <message>
      <location filename="../../ui/records/my_work.py" line="45" />
      <source>状态</source>
      <translation>Status</translation>
    </message>
    <message>
      <location filename="../../ui/records/my_work.py" line="45" />
      <source>模块</source>
      <translation>Module</translation>
    </message>
    <message>
      <location filename="../../ui/records/my_work.py" line="46" />
      <source>记录</source>
      <translation>Record</translation>
    </message>
    <message>
      <location filename="../../ui/records/my_work.py" line="46" />
      <source>等级</source>
      <translation>Level</translation>
    </message>
    <message>
      <location filename="../../ui/records/my_work.py" line="47" />
      <source>下次跟进</source>
      <translation>Next follow-up</translation>
    </message>
    <message>
      <location filename="../../ui/records/my_work.py" line="89" />
      <source>在办</source>
      <translation>Active</translation>
    </message>
    <message numerus="yes">
      <location filename="../../ui/records/my_work.py" line="86" />
      <source>已超期 %n 天</source>
      <translation>
        <numerusform>overdue by %n day</numerusform>
        <numerusform>overdue by %n days</numerusform>
      </translation>
    </message>
    <message>
      <location filename="../../ui/records/my_work.py" line="88" />
      <source>今日到期</source>
      <translation>Due today</translation>
    </message>
    <message>
      <location filename="../../ui/records/my_work.py" line="129" />
      <source>我的工作</source>
      <translation>My work</translation>
    </message>
    <message>
      <location filename="../../ui/records/my_work.py" line="132" />
      <source>%1（%2）负责的在办记录</source>
      <translation>Active records %1 (%2) answers for</translation>
    </message>
    <message>
      <location filename="../../ui/records/my_work.py" line="162" />
      <source>在办 %1 条，已超期 %2 条，今日到期 %3 条</source>
      <translation>%1 active, %2 overdue, %3 due today</translation>
    </message>
  </context>
  <context>
    <name>OfficerDialog</name>
    <message>
      <location filename="../../ui/admin/admin_window.py" line="213" />
      <source>添加人员</source>
      <translation>Add a person</translation>
    </message>
    <message>
      <location filename="../../ui/admin/admin_window.py" line="217" />
      <source>（不属于队组）</source>
      <translation>(no team)</translation>
    </message>
    <message>
      <location filename="../../ui/admin/admin_window.py" line="223" />
      <source>辅警（协助工作，不能担任责任民警）</source>
      <translation>Assisting staff (辅警: helps, never the responsible officer)</translation>
    </message>
    <message>
      <location filename="../../ui/admin/admin_window.py" line="225" />
      <source>如 民警、中队长、所长</source>
      <translation>e.g. 民警, 中队长, 所长</translation>
    </message>
    <message>
      <location filename="../../ui/admin/admin_window.py" line="229" />
      <source>姓名：</source>
      <translation>Name:</translation>
    </message>
    <message>
      <location filename="../../ui/admin/admin_window.py" line="230" />
      <source>警号：</source>
      <translation>Badge no.:</translation>
    </message>
    <message>
      <location filename="../../ui/admin/admin_window.py" line="231" />
      <source>队组：</source>
      <translation>Team:</translation>
    </message>
    <message>
      <location filename="../../ui/admin/admin_window.py" line="232" />
      <source>职责：</source>
      <translation>Role:</translation>
    </message>
    <message>
      <location filename="../../ui/admin/admin_window.py" line="234" />
      <source>职务：</source>
      <translation>Duty title:</translation>
    </message>
    <message>
      <location filename="../../ui/admin/admin_window.py" line="235" />
      <source>手机：</source>
      <translation>Mobile:</translation>
    </message>
  </context>
  <context>
    <name>OfficerPage</name>
    <message>
      <location filename="../../ui/ledger/import_wizard.py" line="651" />
      <source>民警对应</source>
      <extracomment>What an officer writing may become on the officer page (the combo's data is (action, target)).</extracomment>
      <translation>Officers</translation>
    </message>
    <message>
      <location filename="../../ui/ledger/import_wizard.py" line="652" />
      <source>台账中这些民警的写法不在本所民警名单中（如“陈警官”、警号、错别字）。请指定对应的民警、添加到名单，或不导入这些行。选择按本所记住。</source>
      <translation>The ledger writes these officers in ways the station's roster does not know ("Officer Chen", a badge number, a typo). Say who each is, add them to the roster, or leave their rows out. Choices are remembered for this station.</translation>
    </message>
    <message>
      <location filename="../../ui/ledger/import_wizard.py" line="657" />
      <source>台账中的写法</source>
      <translation>As the ledger writes it</translation>
    </message>
    <message>
      <location filename="../../ui/ledger/import_wizard.py" line="657" />
      <source>行数</source>
      <translation>Rows</translation>
    </message>
    <message>
      <location filename="../../ui/ledger/import_wizard.py" line="657" />
      <source>处理</source>
      <translation>Action</translation>
    </message>
    <message>
      <location filename="../../ui/ledger/import_wizard.py" line="671" />
      <source>台账中的民警都在名单中，无需指定。</source>
      <translation>Every officer in the ledger is on the roster; nothing to choose.</translation>
    </message>
    <message>
      <location filename="../../ui/ledger/import_wizard.py" line="672" />
      <source>共 %1 种写法需要指定。</source>
      <translation>%1 spellings to resolve.</translation>
    </message>
    <message>
      <location filename="../../ui/ledger/import_wizard.py" line="683" />
      <source>不导入这些行</source>
      <translation>Do not import these rows</translation>
    </message>
    <message>
      <location filename="../../ui/ledger/import_wizard.py" line="686" />
      <source>对应为：%1</source>
      <translation>Is: %1</translation>
    </message>
    <message>
      <location filename="../../ui/ledger/import_wizard.py" line="690" />
      <source>添加到名单：%1</source>
      <translation>Add to the roster: %1</translation>
    </message>
    <message>
      <location filename="../../ui/ledger/import_wizard.py" line="721" />
      <source>映射未能保存：%1</source>
      <translation>The mapping was not saved: %1</translation>
    </message>
  </context>
  <context>
    <name>OfficersPage</name>
    <message>
      <location filename="../../ui/admin/admin_window.py" line="298" />
      <source>辅警</source>
      <translation>Assisting staff</translation>
    </message>
    <message>
      <location filename="../../ui/admin/admin_window.py" line="301" />
      <source>添加人员…</source>
      <translation>Add person…</translation>
    </message>
    <message>
      <location filename="../../ui/admin/admin_window.py" line="302" />
      <source>导入花名册…</source>
      <translation>Import roster…</translation>
    </message>
    <message>
      <location filename="../../ui/admin/admin_window.py" line="303" />
      <source>调整队组…</source>
      <translation>Move to team…</translation>
    </message>
    <message>
      <location filename="../../ui/admin/admin_window.py" line="304" />
      <source>离岗（移交在办记录）…</source>
      <translation>Leaves (hand over records)…</translation>
    </message>
    <message>
      <location filename="../../ui/admin/admin_window.py" line="324" />
      <source>调整队组</source>
      <translation>Move to team</translation>
    </message>
    <message>
      <location filename="../../ui/admin/admin_window.py" line="324" />
      <source>%1 调至：</source>
      <translation>Move %1 to:</translation>
    </message>
    <message>
      <location filename="../../ui/admin/admin_window.py" line="342" />
      <source>导入民警花名册</source>
      <translation>Import the roster</translation>
    </message>
    <message>
      <location filename="../../ui/admin/admin_window.py" line="343" />
      <source>花名册 (*.xlsx *.csv)</source>
      <translation>Roster (*.xlsx *.csv)</translation>
    </message>
    <message>
      <location filename="../../ui/admin/admin_window.py" line="353" />
      <source>第%1行 %2：%3</source>
      <translation>Row %1 %2: %3</translation>
    </message>
    <message>
      <location filename="../../ui/admin/admin_window.py" line="355" />
      <source>花名册导入结果</source>
      <translation>Roster import</translation>
    </message>
    <message>
      <location filename="../../ui/admin/admin_window.py" line="357" />
      <source>保存未导入的行…</source>
      <translation>Save the rejected rows…</translation>
    </message>
    <message>
      <location filename="../../ui/admin/admin_window.py" line="368" />
      <source>保存未导入的行</source>
      <translation>Save the rejected rows</translation>
    </message>
    <message>
      <location filename="../../ui/admin/admin_window.py" line="369" />
      <source>Excel (*.xlsx);;CSV (*.csv)</source>
      <translation>Excel (*.xlsx);;CSV (*.csv)</translation>
    </message>
  </context>
  <context>
    <name>PasswordSlipDialog</name>
    <message>
      <location filename="../../ui/admin/dialogs.py" line="85" />
      <source>初始密码</source>
      <translation>One-time password</translation>
    </message>
    <message>
      <location filename="../../ui/admin/dialogs.py" line="87" />
      <source>账户 %1（%2）的初始密码如下。它只显示这一次：请打印密码条或抄下后交给本人，本人首次登录时须修改。</source>
      <translation>The one-time password of %1 (%2), shown this once: print the slip or write it down for them; they change it at the first log-in.</translation>
    </message>
    <message>
      <location filename="../../ui/admin/dialogs.py" line="98" />
      <source>打印密码条…</source>
      <translation>Print slip…</translation>
    </message>
    <message>
      <location filename="../../ui/admin/dialogs.py" line="113" />
      <source>&lt;h3&gt;%1 系统账户&lt;/h3&gt;&lt;p&gt;姓名：%2&lt;/p&gt;&lt;p&gt;用户名：%3&lt;/p&gt;&lt;p&gt;初始密码：&lt;b&gt;%4&lt;/b&gt;&lt;/p&gt;&lt;p&gt;首次登录后须修改密码；本条阅后请销毁。&lt;/p&gt;</source>
      <translation>&lt;h3&gt;%1 account&lt;/h3&gt;&lt;p&gt;Name: %2&lt;/p&gt;&lt;p&gt;User name: %3&lt;/p&gt;&lt;p&gt;One-time password: &lt;b&gt;%4&lt;/b&gt;&lt;/p&gt;&lt;p&gt;Change the password at the first log-in; destroy this slip after reading.&lt;/p&gt;</translation>
    </message>
  </context>
  <context>
    <name>PreviewPage</name>
    <message>
      <location filename="../../ui/ledger/import_wizard.py" line="768" />
      <source>预览</source>
      <translation>Preview</translation>
    </message>
    <message>
      <location filename="../../ui/ledger/import_wizard.py" line="769" />
      <source>下面是每一行将得到的结果，尚未写入数据库。确认后点“导入”。</source>
      <translation>Below is what each row will become; nothing is written yet. Click 'Import' to confirm.</translation>
    </message>
    <message>
      <location filename="../../ui/ledger/import_wizard.py" line="771" />
      <source>导入</source>
      <translation>Import</translation>
    </message>
    <message>
      <location filename="../../ui/ledger/import_wizard.py" line="774" />
      <source>行号</source>
      <translation>Row</translation>
    </message>
    <message>
      <location filename="../../ui/ledger/import_wizard.py" line="774" />
      <source>结果</source>
      <translation>Result</translation>
    </message>
    <message>
      <location filename="../../ui/ledger/import_wizard.py" line="774" />
      <source>编号/姓名</source>
      <translation>Number/name</translation>
    </message>
    <message>
      <location filename="../../ui/ledger/import_wizard.py" line="774" />
      <source>说明</source>
      <translation>Note</translation>
    </message>
    <message>
      <location filename="../../ui/ledger/import_wizard.py" line="782" />
      <source>正在预览…</source>
      <translation>Previewing…</translation>
    </message>
    <message>
      <location filename="../../ui/ledger/import_wizard.py" line="785" />
      <source>正在预览台账…</source>
      <translation>Previewing the ledger…</translation>
    </message>
  </context>
  <context>
    <name>RecordTableModel</name>
    <message numerus="yes">
      <location filename="../../ui/common/table_model.py" line="342" />
      <source>已超期 %n 天</source>
      <extracomment>Every role this model answers; any other returns at once. Rows per page the table views ask for: a screen is about 35 rows, and a jump of the scroll bar loads one or two pages, so a smaller page than the service's default keeps that frame short. (query, page size, first page alone allowed) -&gt; the ids, the first page and the counts in one unit. Show the full text as a tooltip (long free text that the column width cuts). The value that orders the column when it is not the value itself (the level's rank).</extracomment>
      <translation>
        <numerusform>overdue by %n day</numerusform>
        <numerusform>overdue by %n days</numerusform>
      </translation>
    </message>
  </context>
  <context>
    <name>ReportDialog</name>
    <message>
      <location filename="../../ui/reports/report_dialog.py" line="65" />
      <source>报表</source>
      <extracomment>The reports' names in the window (the documents themselves are the station's Chinese paperwork).</extracomment>
      <translation>Reports</translation>
    </message>
    <message>
      <location filename="../../ui/reports/report_dialog.py" line="71" />
      <source>日：2025-05-15；周：2025-W19；月：2025-05；季：2025-Q2</source>
      <translation>Day: 2025-05-15; week: 2025-W19; month: 2025-05; quarter: 2025-Q2</translation>
    </message>
    <message>
      <location filename="../../ui/reports/report_dialog.py" line="72" />
      <source>Excel (.xlsx)</source>
      <translation>Excel (.xlsx)</translation>
    </message>
    <message>
      <location filename="../../ui/reports/report_dialog.py" line="73" />
      <source>PDF (A4)</source>
      <translation>PDF (A4)</translation>
    </message>
    <message>
      <location filename="../../ui/reports/report_dialog.py" line="81" />
      <source>浏览…</source>
      <translation>Browse…</translation>
    </message>
    <message>
      <location filename="../../ui/reports/report_dialog.py" line="89" />
      <source>报表：</source>
      <translation>Report:</translation>
    </message>
    <message>
      <location filename="../../ui/reports/report_dialog.py" line="90" />
      <source>统计期间：</source>
      <translation>Period:</translation>
    </message>
    <message>
      <location filename="../../ui/reports/report_dialog.py" line="91" />
      <source>格式：</source>
      <translation>Format:</translation>
    </message>
    <message>
      <location filename="../../ui/reports/report_dialog.py" line="92" />
      <source>保存为：</source>
      <translation>Save as:</translation>
    </message>
    <message>
      <location filename="../../ui/reports/report_dialog.py" line="94" />
      <source>生成</source>
      <translation>Generate</translation>
    </message>
    <message>
      <location filename="../../ui/reports/report_dialog.py" line="121" />
      <source>保存报表</source>
      <translation>Save the report</translation>
    </message>
    <message>
      <location filename="../../ui/reports/report_dialog.py" line="152" />
      <source>正在生成…</source>
      <translation>Generating…</translation>
    </message>
    <message>
      <location filename="../../ui/reports/report_dialog.py" line="153" />
      <source>正在生成报表…</source>
      <translation>Generating the report…</translation>
    </message>
    <message>
      <location filename="../../ui/reports/report_dialog.py" line="171" />
      <source>无法写入文件：</source>
      <translation>Cannot write the file: </translation>
    </message>
    <message>
      <location filename="../../ui/reports/report_dialog.py" line="176" />
      <source>已生成：%1</source>
      <translation>Written: %1</translation>
    </message>
    <message>
      <location filename="../../ui/reports/report_dialog.py" line="30" />
      <source>每日晨会调度简报</source>
      <translation>Morning meeting briefing</translation>
    </message>
    <message>
      <location filename="../../ui/reports/report_dialog.py" line="31" />
      <source>每周会商研判报告</source>
      <translation>Weekly consultation report</translation>
    </message>
    <message>
      <location filename="../../ui/reports/report_dialog.py" line="32" />
      <source>月度统计报表</source>
      <translation>Monthly statistics</translation>
    </message>
    <message>
      <location filename="../../ui/reports/report_dialog.py" line="33" />
      <source>责任落实情况表</source>
      <translation>Accountability table</translation>
    </message>
    <message>
      <location filename="../../ui/reports/report_dialog.py" line="34" />
      <source>红色预警记录清单</source>
      <translation>Red-level records</translation>
    </message>
    <message>
      <location filename="../../ui/reports/report_dialog.py" line="35" />
      <source>分类统计表</source>
      <translation>Breakdown tables</translation>
    </message>
  </context>
  <context>
    <name>ReportPage</name>
    <message>
      <location filename="../../ui/ledger/import_wizard.py" line="808" />
      <source>导入结果</source>
      <translation>Import result</translation>
    </message>
    <message>
      <location filename="../../ui/ledger/import_wizard.py" line="811" />
      <source>行号</source>
      <translation>Row</translation>
    </message>
    <message>
      <location filename="../../ui/ledger/import_wizard.py" line="811" />
      <source>结果</source>
      <translation>Result</translation>
    </message>
    <message>
      <location filename="../../ui/ledger/import_wizard.py" line="811" />
      <source>编号/姓名</source>
      <translation>Number/name</translation>
    </message>
    <message>
      <location filename="../../ui/ledger/import_wizard.py" line="811" />
      <source>说明</source>
      <translation>Note</translation>
    </message>
    <message>
      <location filename="../../ui/ledger/import_wizard.py" line="812" />
      <source>保存未导入的行…</source>
      <translation>Save the rejected rows…</translation>
    </message>
    <message>
      <location filename="../../ui/ledger/import_wizard.py" line="813" />
      <source>保存为与原台账相同列的文件，改正后可再次导入</source>
      <translation>Saved with the ledger's own columns: correct them and import again</translation>
    </message>
    <message>
      <location filename="../../ui/ledger/import_wizard.py" line="827" />
      <source>正在导入…</source>
      <translation>Importing…</translation>
    </message>
    <message>
      <location filename="../../ui/ledger/import_wizard.py" line="830" />
      <source>正在导入台账…</source>
      <translation>Importing the ledger…</translation>
    </message>
    <message>
      <location filename="../../ui/ledger/import_wizard.py" line="843" />
      <source>导入失败，没有写入任何记录：%1</source>
      <translation>Import failed; nothing was written: %1</translation>
    </message>
    <message>
      <location filename="../../ui/ledger/import_wizard.py" line="865" />
      <source>已保存：%1（改正后可再次导入）</source>
      <translation>Saved: %1 (correct and import again)</translation>
    </message>
    <message>
      <location filename="../../ui/ledger/import_wizard.py" line="869" />
      <source>保存未导入的行</source>
      <translation>Save the rejected rows</translation>
    </message>
    <message>
      <location filename="../../ui/ledger/import_wizard.py" line="870" />
      <source>Excel (*.xlsx);;CSV (*.csv)</source>
      <translation>Excel (*.xlsx);;CSV (*.csv)</translation>
    </message>
  </context>
  <context>
    <name>RetireDialog</name>
    <message>
      <location filename="../../ui/admin/admin_window.py" line="257" />
      <source>人员离岗：%1</source>
      <translation>%1 leaves</translation>
    </message>
    <message>
      <location filename="../../ui/admin/admin_window.py" line="260" />
      <source>%1 负责的 %2 条在办记录将移交给接手人，每次移交都记入审计日志；其账户将停用。</source>
      <translation>The %2 open records %1 is responsible for go to successors, each move in the audit trail; their account is disabled.</translation>
    </message>
    <message>
      <location filename="../../ui/admin/admin_window.py" line="264" />
      <source>（逐条指定）</source>
      <translation>(record by record)</translation>
    </message>
    <message>
      <location filename="../../ui/admin/admin_window.py" line="268" />
      <source>全部移交给：</source>
      <translation>Hand everything to:</translation>
    </message>
    <message>
      <location filename="../../ui/admin/admin_window.py" line="270" />
      <source>责任民警</source>
      <translation>Officer</translation>
    </message>
    <message>
      <location filename="../../ui/admin/admin_window.py" line="270" />
      <source>队长</source>
      <translation>Team leader</translation>
    </message>
    <message>
      <location filename="../../ui/admin/admin_window.py" line="271" />
      <source>所领导</source>
      <translation>Station leader</translation>
    </message>
    <message>
      <location filename="../../ui/admin/admin_window.py" line="274" />
      <source>（同上）</source>
      <translation>(as above)</translation>
    </message>
  </context>
  <context>
    <name>ServerLink</name>
    <message>
      <location filename="../../ui/common/server_events.py" line="70" />
      <source>服务器：%1</source>
      <extracomment>The status-bar label that names the server (the window's database label).</extracomment>
      <translation>Server: %1</translation>
    </message>
    <message>
      <location filename="../../ui/common/server_events.py" line="73" />
      <source>与服务器 %1 的连接已中断，正在重新连接…</source>
      <translation>Lost the connection to the server %1; reconnecting…</translation>
    </message>
    <message>
      <location filename="../../ui/common/server_events.py" line="82" />
      <source>已重新连接服务器</source>
      <translation>Connected to the server again</translation>
    </message>
    <message>
      <location filename="../../ui/common/server_events.py" line="82" />
      <source>与服务器的连接已中断，正在重新连接…</source>
      <translation>Lost the connection to the server; reconnecting…</translation>
    </message>
  </context>
  <context>
    <name>ServerSetupDialog</name>
    <message>
      <location filename="../../ui/admin/server_setup.py" line="58" />
      <source>连接派出所服务器</source>
      <translation>Connect to the station server</translation>
    </message>
    <message>
      <location filename="../../ui/admin/server_setup.py" line="60" />
      <source>本所数据库在派出所服务器上时，请填写服务器管理员提供的地址。首次连接须核对服务器证书的指纹，核对一次后本机记住该服务器。</source>
      <translation>When this station's database is on a station server, enter the address its administrator gave you. The first time, compare the server certificate's fingerprint; once confirmed, this PC remembers the server.</translation>
    </message>
    <message>
      <location filename="../../ui/admin/server_setup.py" line="64" />
      <source>例如 192.168.1.10</source>
      <translation>e.g. 192.168.1.10</translation>
    </message>
    <message>
      <location filename="../../ui/admin/server_setup.py" line="69" />
      <source>例如 chengguan</source>
      <translation>e.g. chengguan</translation>
    </message>
    <message>
      <location filename="../../ui/admin/server_setup.py" line="71" />
      <source>默认与数据库名相同</source>
      <translation>the database name unless told otherwise</translation>
    </message>
    <message>
      <location filename="../../ui/admin/server_setup.py" line="72" />
      <source>连接并获取证书</source>
      <translation>Connect and fetch the certificate</translation>
    </message>
    <message>
      <location filename="../../ui/admin/server_setup.py" line="74" />
      <source>请与服务器上运行 server-cert 时显示的指纹逐段核对：</source>
      <translation>Compare it, group by group, with the fingerprint server-cert printed at the server:</translation>
    </message>
    <message>
      <location filename="../../ui/admin/server_setup.py" line="81" />
      <source>指纹与服务器管理员提供的完全一致</source>
      <translation>The fingerprint matches the server administrator's exactly</translation>
    </message>
    <message>
      <location filename="../../ui/admin/server_setup.py" line="92" />
      <source>服务器地址：</source>
      <translation>Server address:</translation>
    </message>
    <message>
      <location filename="../../ui/admin/server_setup.py" line="93" />
      <source>端口：</source>
      <translation>Port:</translation>
    </message>
    <message>
      <location filename="../../ui/admin/server_setup.py" line="94" />
      <source>数据库名：</source>
      <translation>Database:</translation>
    </message>
    <message>
      <location filename="../../ui/admin/server_setup.py" line="95" />
      <source>角色前缀：</source>
      <translation>Role prefix:</translation>
    </message>
    <message>
      <location filename="../../ui/admin/server_setup.py" line="98" />
      <source>确认并记住</source>
      <translation>Confirm and remember</translation>
    </message>
    <message>
      <location filename="../../ui/admin/server_setup.py" line="142" />
      <source>请填写服务器地址和数据库名</source>
      <translation>Enter the server address and the database name</translation>
    </message>
  </context>
  <context>
    <name>SettingsPage</name>
    <message>
      <location filename="../../ui/admin/admin_window.py" line="505" />
      <source> 分钟</source>
      <translation> min</translation>
    </message>
    <message>
      <location filename="../../ui/admin/admin_window.py" line="508" />
      <source>数据库旁的 backups 文件夹</source>
      <translation>the backups folder beside the database</translation>
    </message>
    <message>
      <location filename="../../ui/admin/admin_window.py" line="509" />
      <source>选择…</source>
      <translation>Choose…</translation>
    </message>
    <message>
      <location filename="../../ui/admin/admin_window.py" line="517" />
      <source>无操作自动锁定：</source>
      <extracomment>(module, level) → days between follow-ups (跟进周期), one grid of modules by levels.</extracomment>
      <translation>Lock when idle for:</translation>
    </message>
    <message>
      <location filename="../../ui/admin/admin_window.py" line="518" />
      <source>备份文件夹：</source>
      <translation>Backup folder:</translation>
    </message>
    <message>
      <location filename="../../ui/admin/admin_window.py" line="528" />
      <location filename="../../ui/admin/admin_window.py" line="544" />
      <source> 天</source>
      <translation> days</translation>
    </message>
    <message>
      <location filename="../../ui/admin/admin_window.py" line="531" />
      <source>跟进周期：</source>
      <translation>Follow-up every:</translation>
    </message>
    <message>
      <location filename="../../ui/admin/admin_window.py" line="541" />
      <source> 小时</source>
      <extracomment>Level → the 在管在控 check cadence: red in hours, orange and yellow in days.</extracomment>
      <translation> hours</translation>
    </message>
    <message>
      <location filename="../../ui/admin/admin_window.py" line="549" />
      <source>重点人员核查周期：</source>
      <translation>Key-person check cadence:</translation>
    </message>
    <message>
      <location filename="../../ui/admin/admin_window.py" line="550" />
      <source>保存</source>
      <translation>Save</translation>
    </message>
    <message>
      <location filename="../../ui/admin/admin_window.py" line="566" />
      <source>备份文件夹</source>
      <translation>Backup folder</translation>
    </message>
    <message>
      <location filename="../../ui/admin/admin_window.py" line="580" />
      <source>未保存</source>
      <translation>Not saved</translation>
    </message>
  </context>
  <context>
    <name>SetupWizard</name>
    <message>
      <location filename="../../ui/admin/first_start.py" line="236" />
      <source>设置本派出所</source>
      <translation>Set up this station</translation>
    </message>
    <message>
      <location filename="../../ui/admin/first_start.py" line="256" />
      <source>第三步：人员</source>
      <translation>Step 3: people</translation>
    </message>
    <message>
      <location filename="../../ui/admin/first_start.py" line="257" />
      <source>逐个添加，或“导入花名册”（姓名、警号、所属中队/部门、职务、手机）。职务决定职责：所长/教导员/副所长为所领导，中队长/队长/警长为队长，民警为民警，辅警为辅助人员。</source>
      <translation>Add people one by one, or import the roster (姓名, 警号, 所属中队/部门, 职务, 手机). The duty title gives the role: 所长/教导员/副所长 station leader, 中队长/队长/警长 team leader, 民警 officer, 辅警 assisting staff.</translation>
    </message>
    <message>
      <location filename="../../ui/admin/first_start.py" line="260" />
      <source>第四步：账户</source>
      <translation>Step 4: accounts</translation>
    </message>
    <message>
      <location filename="../../ui/admin/first_start.py" line="261" />
      <source>为每位需要登录的人员建立账户。初始密码只显示一次，可打印密码条；本人首次登录时须修改。</source>
      <translation>Make an account for everyone who logs in. The one-time password is shown once and can be printed on a slip; its owner changes it at the first log-in.</translation>
    </message>
  </context>
  <context>
    <name>SheetPage</name>
    <message>
      <location filename="../../ui/ledger/import_wizard.py" line="288" />
      <source>工作表与表头</source>
      <translation>Sheet and header</translation>
    </message>
    <message>
      <location filename="../../ui/ledger/import_wizard.py" line="289" />
      <source>确认表头所在的行（加粗显示）。表头以下的每一行都会被导入或说明原因。</source>
      <translation>Confirm the header row (in bold). Every row below it is imported or its reason is given.</translation>
    </message>
    <message>
      <location filename="../../ui/ledger/import_wizard.py" line="299" />
      <source>工作簿中的工作表（勾选的将一并导入，各自确认映射，在同一次导入中写入）：</source>
      <translation>Sheets of the workbook (ticked ones are imported too, each with its own mapping, in the same import):</translation>
    </message>
    <message>
      <location filename="../../ui/ledger/import_wizard.py" line="300" />
      <source>一并导入</source>
      <translation>Import too</translation>
    </message>
    <message>
      <location filename="../../ui/ledger/import_wizard.py" line="300" />
      <source>工作表</source>
      <translation>Sheet</translation>
    </message>
    <message>
      <location filename="../../ui/ledger/import_wizard.py" line="300" />
      <source>识别为</source>
      <translation>Looks like</translation>
    </message>
    <message>
      <location filename="../../ui/ledger/import_wizard.py" line="300" />
      <source>表头行</source>
      <translation>Header row</translation>
    </message>
    <message>
      <location filename="../../ui/ledger/import_wizard.py" line="301" />
      <source>数据行数</source>
      <translation>Data rows</translation>
    </message>
    <message>
      <location filename="../../ui/ledger/import_wizard.py" line="304" />
      <source>工作表：</source>
      <translation>Sheet:</translation>
    </message>
    <message>
      <location filename="../../ui/ledger/import_wizard.py" line="307" />
      <source>表头在第</source>
      <translation>Header on row</translation>
    </message>
    <message>
      <location filename="../../ui/ledger/import_wizard.py" line="309" />
      <source>行</source>
      <translation> </translation>
    </message>
    <message>
      <location filename="../../ui/ledger/import_wizard.py" line="350" />
      <source>不是台账（不导入）</source>
      <translation>Not a ledger (not imported)</translation>
    </message>
    <message>
      <location filename="../../ui/ledger/import_wizard.py" line="415" />
      <source>识别为%3台账：%1 个已知列，表头以下共 %2 行。</source>
      <translation>A %3 ledger: %1 known columns found; %2 rows below the header.</translation>
    </message>
  </context>
  <context>
    <name>StationPage</name>
    <message>
      <location filename="../../ui/admin/admin_window.py" line="139" />
      <source>12位数字</source>
      <translation>12 digits</translation>
    </message>
    <message>
      <location filename="../../ui/admin/admin_window.py" line="143" />
      <source>保存</source>
      <translation>Save</translation>
    </message>
    <message>
      <location filename="../../ui/admin/admin_window.py" line="146" />
      <source>派出所名称：</source>
      <translation>Station name:</translation>
    </message>
    <message>
      <location filename="../../ui/admin/admin_window.py" line="147" />
      <source>机构代码：</source>
      <translation>Organisation code:</translation>
    </message>
    <message>
      <location filename="../../ui/admin/admin_window.py" line="148" />
      <source>所属分局：</source>
      <translation>Branch office:</translation>
    </message>
    <message>
      <location filename="../../ui/admin/admin_window.py" line="149" />
      <source>数据库文件：</source>
      <translation>Database file: </translation>
    </message>
    <message>
      <location filename="../../ui/admin/admin_window.py" line="164" />
      <source>未保存</source>
      <translation>Not saved</translation>
    </message>
  </context>
  <context>
    <name>Task</name>
    <message>
      <location filename="../../ui/common/task_runner.py" line="127" />
      <source>正在处理…</source>
      <extracomment>Work shorter than this never shows a progress dialog (STYLE.md "Long work"). At most one progress signal per this many seconds, plus the last one.</extracomment>
      <translation>Working…</translation>
    </message>
    <message>
      <location filename="../../ui/common/task_runner.py" line="161" />
      <source>取消</source>
      <translation>Cancel</translation>
    </message>
  </context>
  <context>
    <name>TeamsPage</name>
    <message>
      <location filename="../../ui/admin/admin_window.py" line="176" />
      <source>在用</source>
      <translation>In use</translation>
    </message>
    <message>
      <location filename="../../ui/admin/admin_window.py" line="176" />
      <source>已撤销</source>
      <translation>Retired</translation>
    </message>
    <message>
      <location filename="../../ui/admin/admin_window.py" line="178" />
      <source>新建队组…</source>
      <translation>New team…</translation>
    </message>
    <message>
      <location filename="../../ui/admin/admin_window.py" line="179" />
      <source>改名…</source>
      <translation>Rename…</translation>
    </message>
    <message>
      <location filename="../../ui/admin/admin_window.py" line="180" />
      <location filename="../../ui/admin/admin_window.py" line="202" />
      <source>撤销队组</source>
      <translation>Retire team</translation>
    </message>
    <message>
      <location filename="../../ui/admin/admin_window.py" line="189" />
      <source>新建队组</source>
      <translation>New team</translation>
    </message>
    <message>
      <location filename="../../ui/admin/admin_window.py" line="189" />
      <source>队组名称：</source>
      <translation>Team name:</translation>
    </message>
    <message>
      <location filename="../../ui/admin/admin_window.py" line="196" />
      <source>队组改名</source>
      <translation>Rename team</translation>
    </message>
    <message>
      <location filename="../../ui/admin/admin_window.py" line="196" />
      <source>新名称：</source>
      <translation>New name:</translation>
    </message>
    <message>
      <location filename="../../ui/admin/admin_window.py" line="202" />
      <source>撤销队组“%1”？其记录保留原队组名称。</source>
      <translation>Retire the team %1? Its records keep the team's name.</translation>
    </message>
  </context>
  <context>
    <name>TrendChart</name>
    <message>
      <location filename="../../ui/dashboard/charts.py" line="295" />
      <source>指向柱形或数据点查看数值；单击查看对应记录</source>
      <extracomment>Colours of series that are not levels (new, closed, last year…): the theme's accent, then muted greys, never a level colour, so red keeps meaning "red level". Groups of a breakdown (案别, 重点领域…) beyond the theme's few: distinct hues, none of them a level's red, orange, yellow or green, so a group is never read as a warning level. The short label of each period under its slot (5月15日, 第19周, 25年5月, 25年Q2, 2025年). Series told in the read-out and the legend but not drawn as bars (green: the closed records, far more than the active ones, would flatten red into a sliver). Whole counts: the value axis ticks at integers only.</extracomment>
      <translation>Point at a bar or a point to see its value; click to see the records</translation>
    </message>
    <message>
      <location filename="../../ui/dashboard/charts.py" line="323" />
      <source>%1（另计，期末 %2）</source>
      <translation>%1 (apart, %2 at period end)</translation>
    </message>
    <message>
      <location filename="../../ui/dashboard/charts.py" line="378" />
      <source>（截至 %1）</source>
      <translation> (to %1)</translation>
    </message>
  </context>
  <context>
    <name>UnlockDialog</name>
    <message>
      <location filename="../../ui/login_dialog.py" line="123" />
      <source>已锁定</source>
      <translation>Locked</translation>
    </message>
    <message>
      <location filename="../../ui/login_dialog.py" line="125" />
      <source>长时间未操作，界面已锁定。请输入 %1 的密码解锁。</source>
      <translation>Locked after a period of inactivity. Enter the password of %1 to unlock.</translation>
    </message>
    <message>
      <location filename="../../ui/login_dialog.py" line="129" />
      <source>密码</source>
      <translation>Password</translation>
    </message>
    <message>
      <location filename="../../ui/login_dialog.py" line="134" />
      <source>解锁</source>
      <translation>Unlock</translation>
    </message>
    <message>
      <location filename="../../ui/login_dialog.py" line="135" />
      <source>退出</source>
      <translation>Exit</translation>
    </message>
  </context>
  <context>
    <name>ValuePage</name>
    <message>
      <location filename="../../ui/ledger/import_wizard.py" line="584" />
      <source>值映射</source>
      <translation>Value mapping</translation>
    </message>
    <message>
      <location filename="../../ui/ledger/import_wizard.py" line="585" />
      <source>这些值系统不认识（例如 高/中/低）。请指定各自的含义；不指定的值所在的行不会导入，并在报告中说明。</source>
      <translation>The system does not know these values (e.g. high/medium/low). Say what each means; rows with a value left unmapped are not imported and are listed in the report.</translation>
    </message>
    <message>
      <location filename="../../ui/ledger/import_wizard.py" line="588" />
      <source>字段</source>
      <translation>Field</translation>
    </message>
    <message>
      <location filename="../../ui/ledger/import_wizard.py" line="588" />
      <source>台账中的值</source>
      <translation>Value in the ledger</translation>
    </message>
    <message>
      <location filename="../../ui/ledger/import_wizard.py" line="588" />
      <source>行数</source>
      <translation>Rows</translation>
    </message>
    <message>
      <location filename="../../ui/ledger/import_wizard.py" line="588" />
      <source>对应为</source>
      <translation>Means</translation>
    </message>
    <message>
      <location filename="../../ui/ledger/import_wizard.py" line="601" />
      <source>所有值都能识别，无需映射。</source>
      <translation>Every value is known; nothing to map.</translation>
    </message>
    <message>
      <location filename="../../ui/ledger/import_wizard.py" line="602" />
      <source>共 %1 个值需要指定。</source>
      <translation>%1 values to map.</translation>
    </message>
    <message>
      <location filename="../../ui/ledger/import_wizard.py" line="604" />
      <source>重点领域不在系统列表中的（%1）不指定时记为“其他”，原文保留在简要情况中。</source>
      <translation>Focus areas the system has no entry for (%1) are recorded as 'Other' unless mapped, their words kept in the summary.</translation>
    </message>
    <message>
      <location filename="../../ui/ledger/import_wizard.py" line="616" />
      <source>（不指定：该行不导入）</source>
      <translation>(unmapped: the row is not imported)</translation>
    </message>
    <message>
      <location filename="../../ui/ledger/import_wizard.py" line="616" />
      <source>（保留原文，记为“其他”）</source>
      <translation>(keep the words, record as 'Other')</translation>
    </message>
  </context>
  <context>
    <name>_Page</name>
    <message>
      <location filename="../../ui/admin/admin_window.py" line="100" />
      <source>未完成</source>
      <translation>Not done</translation>
    </message>
  </context>
  <context>
    <name>_StationPage</name>
    <message>
      <location filename="../../ui/admin/first_start.py" line="86" />
      <source>第一步：派出所与管理员</source>
      <translation>Step 1: station and administrator</translation>
    </message>
    <message>
      <location filename="../../ui/admin/first_start.py" line="87" />
      <source>这些信息写入新的派出所数据库。管理员账户用于设置队组、人员和账户，不办理业务。</source>
      <translation>This goes into the new station database. The administrator sets up teams, people and accounts and does no police work.</translation>
    </message>
    <message>
      <location filename="../../ui/admin/first_start.py" line="91" />
      <source>12位数字</source>
      <translation>12 digits</translation>
    </message>
    <message>
      <location filename="../../ui/admin/first_start.py" line="94" />
      <source>选择…</source>
      <translation>Choose…</translation>
    </message>
    <message>
      <location filename="../../ui/admin/first_start.py" line="114" />
      <source>派出所名称：</source>
      <translation>Station name:</translation>
    </message>
    <message>
      <location filename="../../ui/admin/first_start.py" line="115" />
      <source>机构代码：</source>
      <translation>Organisation code:</translation>
    </message>
    <message>
      <location filename="../../ui/admin/first_start.py" line="116" />
      <source>所属分局：</source>
      <translation>Branch office:</translation>
    </message>
    <message>
      <location filename="../../ui/admin/first_start.py" line="117" />
      <source>数据库文件：</source>
      <translation>Database file: </translation>
    </message>
    <message>
      <location filename="../../ui/admin/first_start.py" line="118" />
      <source>管理员用户名：</source>
      <translation>Administrator user name:</translation>
    </message>
    <message>
      <location filename="../../ui/admin/first_start.py" line="119" />
      <source>管理员密码（至少8位）：</source>
      <translation>Administrator password (8 or more):</translation>
    </message>
    <message>
      <location filename="../../ui/admin/first_start.py" line="120" />
      <source>再次输入密码：</source>
      <translation>Password again:</translation>
    </message>
    <message>
      <location filename="../../ui/admin/first_start.py" line="124" />
      <source>新的派出所数据库</source>
      <translation>New station database</translation>
    </message>
    <message>
      <location filename="../../ui/admin/first_start.py" line="125" />
      <source>派出所数据库 (*.db)</source>
      <translation>Station databases (*.db)</translation>
    </message>
    <message>
      <location filename="../../ui/admin/first_start.py" line="138" />
      <source>两次输入的密码不一致</source>
      <translation>The two passwords differ</translation>
    </message>
    <message>
      <location filename="../../ui/admin/first_start.py" line="160" />
      <source>无法创建数据库文件：</source>
      <translation>Cannot create the database file: </translation>
    </message>
  </context>
  <context>
    <name>_TeamsPage</name>
    <message>
      <location filename="../../ui/admin/first_start.py" line="181" />
      <source>第二步：队组</source>
      <translation>Step 2: teams</translation>
    </message>
    <message>
      <location filename="../../ui/admin/first_start.py" line="182" />
      <source>每行一个队组，如“社区警务一队”。也可在下一步导入民警花名册，其中的队组会自动建立。</source>
      <translation>One team a line, e.g. 社区警务一队. You can also import the roster in the next step; its teams are created.</translation>
    </message>
  </context>
  <context>
    <name>task</name>
    <message>
      <location filename="../../ui/common/task_runner.py" line="222" />
      <source>操作失败</source>
      <translation>Failed</translation>
    </message>
  </context>
  <context>
    <name>AccountMenus</name>
    <message>
      <location filename="../../ui/admin/menus.py" line="37" />
      <source>打开派出所数据库(&amp;O)…</source>
      <translation>&amp;Open station database…</translation>
    </message>
    <message>
      <location filename="../../ui/admin/menus.py" line="40" />
      <source>修改密码(&amp;P)…</source>
      <translation>Change &amp;password…</translation>
    </message>
    <message>
      <location filename="../../ui/admin/menus.py" line="42" />
      <source>注销 / 切换用户(&amp;L)</source>
      <translation>&amp;Log out / switch user</translation>
    </message>
    <message>
      <location filename="../../ui/admin/menus.py" line="47" />
      <source>系统管理(&amp;G)…</source>
      <translation>Administration…</translation>
    </message>
    <message>
      <location filename="../../ui/admin/menus.py" line="50" />
      <source>帮助(&amp;H)</source>
      <translation>&amp;Help</translation>
    </message>
    <message>
      <location filename="../../ui/admin/menus.py" line="51" />
      <source>用户指南(&amp;U)</source>
      <translation>&amp;User guide</translation>
    </message>
    <message>
      <location filename="../../ui/admin/menus.py" line="53" />
      <source>关于(&amp;A)…</source>
      <translation>&amp;About…</translation>
    </message>
    <message>
      <location filename="../../ui/admin/menus.py" line="96" />
      <source>打开派出所数据库</source>
      <translation>Open a station database</translation>
    </message>
    <message>
      <location filename="../../ui/admin/menus.py" line="97" />
      <source>派出所数据库 (*.db);;所有文件 (*)</source>
      <translation>Station databases (*.db);;All files (*)</translation>
    </message>
    <message>
      <location filename="../../ui/admin/menus.py" line="141" />
      <source>关于</source>
      <translation>About</translation>
    </message>
    <message>
      <location filename="../../ui/admin/menus.py" line="107" />
      <source>用户指南</source>
      <translation>User guide</translation>
    </message>
    <message>
      <location filename="../../ui/admin/menus.py" line="113" />
      <source>找不到用户指南文件：%1</source>
      <translation>User guide not found: %1</translation>
    </message>
    <message>
      <location filename="../../ui/admin/menus.py" line="135" />
      <source>&lt;h3&gt;派出所情报信息分级分类跟踪系统&lt;/h3&gt;&lt;p&gt;版本 %1&lt;/p&gt;&lt;p&gt;派出所：%2&lt;/p&gt;&lt;p&gt;数据库文件：%3&lt;/p&gt;</source>
      <translation>&lt;h3&gt;Police Station Graded Tracking System&lt;/h3&gt;&lt;p&gt;Version %1&lt;/p&gt;&lt;p&gt;Station: %2&lt;/p&gt;&lt;p&gt;Database file: %3&lt;/p&gt;</translation>
    </message>
  </context>
  <context>
    <name>Briefing</name>
    <message>
      <location filename="../../ui/briefing/pages.py" line="39" />
      <source>累计办结</source>
      <translation>Concluded to date</translation>
    </message>
    <message>
      <location filename="../../ui/briefing/pages.py" line="39" />
      <source>累计化解</source>
      <translation>Resolved to date</translation>
    </message>
    <message>
      <location filename="../../ui/briefing/pages.py" line="40" />
      <source>已撤销列管</source>
      <translation>De-listed</translation>
    </message>
    <message>
      <location filename="../../ui/briefing/pages.py" line="41" />
      <source>新增</source>
      <translation>New</translation>
    </message>
    <message>
      <location filename="../../ui/briefing/pages.py" line="41" />
      <source>升级</source>
      <translation>Raised</translation>
    </message>
    <message>
      <location filename="../../ui/briefing/pages.py" line="42" />
      <source>降级</source>
      <translation>Lowered</translation>
    </message>
    <message>
      <location filename="../../ui/briefing/pages.py" line="42" />
      <source>办结/化解/撤管</source>
      <translation>Closed</translation>
    </message>
    <message>
      <location filename="../../ui/briefing/pages.py" line="43" />
      <source>纠纷转案件</source>
      <translation>Dispute to case</translation>
    </message>
    <message>
      <location filename="../../ui/briefing/pages.py" line="43" />
      <source>作废</source>
      <translation>Void</translation>
    </message>
    <message>
      <location filename="../../ui/briefing/pages.py" line="78" />
      <source>今天</source>
      <translation>Today</translation>
    </message>
    <message>
      <location filename="../../ui/briefing/pages.py" line="80" />
      <source>明天</source>
      <translation>Tomorrow</translation>
    </message>
    <message>
      <location filename="../../ui/briefing/pages.py" line="207" />
      <source>概览：三类记录的预警等级</source>
      <translation>Overview by level</translation>
    </message>
    <message>
      <location filename="../../ui/briefing/pages.py" line="487" />
      <source>主要指标：同比 / 环比</source>
      <translation>Key figures: YoY / MoM</translation>
    </message>
    <message>
      <location filename="../../ui/briefing/pages.py" line="567" />
      <source>在管在控与融调化解</source>
      <translation>Control of key persons and mediation</translation>
    </message>
    <message>
      <location filename="../../ui/briefing/pages.py" line="128" />
      <source>晨会简报</source>
      <translation>Morning briefing</translation>
    </message>
    <message>
      <location filename="../../ui/briefing/pages.py" line="128" />
      <source>每周会商研判</source>
      <translation>Weekly review</translation>
    </message>
    <message>
      <location filename="../../ui/briefing/pages.py" line="240" />
      <source>自上次晨会以来</source>
      <translation>Since the last morning meeting</translation>
    </message>
    <message>
      <location filename="../../ui/briefing/pages.py" line="240" />
      <source>自上次会商以来</source>
      <translation>Since the last consultation</translation>
    </message>
    <message>
      <location filename="../../ui/briefing/pages.py" line="245" />
      <source>上次晨会</source>
      <translation>last morning meeting</translation>
    </message>
    <message>
      <location filename="../../ui/briefing/pages.py" line="245" />
      <source>上次会商</source>
      <translation>last consultation</translation>
    </message>
    <message>
      <location filename="../../ui/briefing/pages.py" line="274" />
      <source>新增与升级（红色在前）</source>
      <translation>New and raised (red first)</translation>
    </message>
    <message>
      <location filename="../../ui/briefing/pages.py" line="329" />
      <source>责任民警</source>
      <translation>Officer</translation>
    </message>
    <message>
      <location filename="../../ui/briefing/pages.py" line="329" />
      <source>队组</source>
      <translation>Team</translation>
    </message>
    <message>
      <location filename="../../ui/briefing/pages.py" line="329" />
      <source>下次跟进</source>
      <translation>Next follow-up</translation>
    </message>
    <message>
      <location filename="../../ui/briefing/pages.py" line="382" />
      <source>在办记录超过下次跟进日期仍未跟进，按队组</source>
      <translation>Active records past their follow-up date, by team</translation>
    </message>
    <message>
      <location filename="../../ui/briefing/pages.py" line="411" />
      <source>超期最久</source>
      <translation>Longest overdue</translation>
    </message>
    <message>
      <location filename="../../ui/briefing/pages.py" line="497" />
      <source>起</source>
      <translation>disputes</translation>
    </message>
    <message>
      <location filename="../../ui/briefing/pages.py" line="528" />
      <source>纠纷转为案件</source>
      <translation>Dispute → case</translation>
    </message>
    <message>
      <location filename="../../ui/briefing/pages.py" line="530" />
      <source>在管重点人员</source>
      <translation>Listed persons</translation>
    </message>
    <message>
      <location filename="../../ui/briefing/pages.py" line="580" />
      <source>失控</source>
      <translation>lost control</translation>
    </message>
    <message>
      <location filename="../../ui/briefing/pages.py" line="580" />
      <source>非访</source>
      <translation>petitions</translation>
    </message>
    <message>
      <location filename="../../ui/briefing/pages.py" line="580" />
      <source>滋事</source>
      <translation>trouble</translation>
    </message>
    <message>
      <location filename="../../ui/briefing/pages.py" line="141" />
      <source>数据截至 %1</source>
      <translation>Data as of %1</translation>
    </message>
    <message>
      <location filename="../../ui/briefing/pages.py" line="149" />
      <source>实名显示中（已记入审计）</source>
      <translation>Real names shown (recorded in the audit trail)</translation>
    </message>
    <message>
      <location filename="../../ui/briefing/pages.py" line="151" />
      <source>人员姓名、身份证号已遮挡</source>
      <translation>Names and ID numbers masked</translation>
    </message>
    <message>
      <location filename="../../ui/briefing/pages.py" line="250" />
      <source>变化</source>
      <translation>Change</translation>
    </message>
    <message>
      <location filename="../../ui/briefing/pages.py" line="250" />
      <source>案件</source>
      <translation>Cases</translation>
    </message>
    <message>
      <location filename="../../ui/briefing/pages.py" line="250" />
      <source>纠纷</source>
      <translation>Disputes</translation>
    </message>
    <message>
      <location filename="../../ui/briefing/pages.py" line="250" />
      <source>人员</source>
      <translation>Persons</translation>
    </message>
    <message>
      <location filename="../../ui/briefing/pages.py" line="250" />
      <source>合计</source>
      <translation>Total</translation>
    </message>
    <message>
      <location filename="../../ui/briefing/pages.py" line="268" />
      <source>新增中红色 %1 条</source>
      <translation>%1 of the new are red</translation>
    </message>
    <message>
      <location filename="../../ui/briefing/pages.py" line="277" />
      <source>无</source>
      <translation>None</translation>
    </message>
    <message>
      <location filename="../../ui/briefing/pages.py" line="378" />
      <source>超期未跟进（共 %1 条）</source>
      <translation>Overdue follow-ups (%1 in all)</translation>
    </message>
    <message>
      <location filename="../../ui/briefing/pages.py" line="384" />
      <source>没有超期未跟进的记录</source>
      <translation>No overdue follow-ups</translation>
    </message>
    <message>
      <location filename="../../ui/briefing/pages.py" line="399" />
      <source>未分队组</source>
      <translation>No team</translation>
    </message>
    <message>
      <location filename="../../ui/briefing/pages.py" line="428" />
      <source>趋势：近 %1 周各等级在办数</source>
      <translation>Trend by level, last %1 weeks</translation>
    </message>
    <message>
      <location filename="../../ui/briefing/pages.py" line="499" />
      <source>破刑事案件</source>
      <translation>Crimes solved</translation>
    </message>
    <message>
      <location filename="../../ui/briefing/pages.py" line="500" />
      <source>查处行政案件</source>
      <translation>Admin. cases</translation>
    </message>
    <message>
      <location filename="../../ui/briefing/pages.py" line="501" />
      <source>排查发现纠纷</source>
      <translation>Disputes found</translation>
    </message>
    <message>
      <location filename="../../ui/briefing/pages.py" line="502" />
      <source>化解纠纷</source>
      <translation>Disputes resolved</translation>
    </message>
    <message>
      <location filename="../../ui/briefing/pages.py" line="516" />
      <source>纠纷化解率</source>
      <translation>Resolution rate</translation>
    </message>
    <message>
      <location filename="../../ui/briefing/pages.py" line="521" />
      <source>群众回访满意率</source>
      <translation>Satisfaction</translation>
    </message>
    <message>
      <location filename="../../ui/briefing/pages.py" line="604" />
      <source>在管在控核查超期</source>
      <translation>Control checks overdue</translation>
    </message>
    <message>
      <location filename="../../ui/briefing/pages.py" line="605" />
      <source>移交答复超期</source>
      <translation>Hand-over answers overdue</translation>
    </message>
    <message>
      <location filename="../../ui/briefing/pages.py" line="606" />
      <source>回访超期</source>
      <translation>Follow-ups overdue</translation>
    </message>
    <message>
      <location filename="../../ui/briefing/pages.py" line="73" />
      <source>%1月%2日</source>
      <translation>%1/%2</translation>
    </message>
    <message>
      <location filename="../../ui/briefing/pages.py" line="250" />
      <source>上一周</source>
      <translation>Last week</translation>
    </message>
    <message>
      <location filename="../../ui/briefing/pages.py" line="286" />
      <source>另有 %1 条，见系统</source>
      <translation>%1 more in the system</translation>
    </message>
    <message>
      <location filename="../../ui/briefing/pages.py" line="334" />
      <source>姓名</source>
      <translation>Name</translation>
    </message>
    <message>
      <location filename="../../ui/briefing/pages.py" line="334" />
      <source>身份证号</source>
      <translation>ID number</translation>
    </message>
    <message>
      <location filename="../../ui/briefing/pages.py" line="334" />
      <source>人员类别</source>
      <translation>Risk categories</translation>
    </message>
    <message>
      <location filename="../../ui/briefing/pages.py" line="397" />
      <source>其他队组</source>
      <translation>Other teams</translation>
    </message>
    <message>
      <location filename="../../ui/briefing/pages.py" line="432" />
      <source>每%1 24 时的在办数，最后一格为今天截至现在；每格按自身最大值绘制</source>
      <translation>Active at midnight each %1; the last column is today so far; each scaled to its own maximum</translation>
    </message>
    <message>
      <location filename="../../ui/briefing/pages.py" line="143" />
      <source>下次刷新 %1</source>
      <translation>Next refresh %1</translation>
    </message>
    <message>
      <location filename="../../ui/briefing/pages.py" line="331" />
      <source>案件编号</source>
      <translation>Case no.</translation>
    </message>
    <message>
      <location filename="../../ui/briefing/pages.py" line="331" />
      <source>案由</source>
      <translation>Cause</translation>
    </message>
    <message>
      <location filename="../../ui/briefing/pages.py" line="331" />
      <source>地点</source>
      <translation>Place</translation>
    </message>
    <message>
      <location filename="../../ui/briefing/pages.py" line="333" />
      <source>纠纷编号</source>
      <translation>Dispute no.</translation>
    </message>
    <message>
      <location filename="../../ui/briefing/pages.py" line="333" />
      <source>当事人</source>
      <translation>Parties</translation>
    </message>
    <message>
      <location filename="../../ui/briefing/pages.py" line="333" />
      <source>领域</source>
      <translation>Area</translation>
    </message>
    <message>
      <location filename="../../ui/briefing/pages.py" line="342" />
      <source>目前没有红色预警的%1</source>
      <translation>No red-level %1 at present</translation>
    </message>
    <message>
      <location filename="../../ui/briefing/pages.py" line="358" />
      <source>超期%1天</source>
      <translation>%1 days overdue</translation>
    </message>
    <message>
      <location filename="../../ui/briefing/pages.py" line="535" />
      <source>环比 %1</source>
      <translation>MoM %1</translation>
    </message>
    <message>
      <location filename="../../ui/briefing/pages.py" line="536" />
      <source>上月同期 %1</source>
      <translation>Last month %1</translation>
    </message>
    <message>
      <location filename="../../ui/briefing/pages.py" line="537" />
      <source>同比 %1</source>
      <translation>YoY %1</translation>
    </message>
    <message>
      <location filename="../../ui/briefing/pages.py" line="538" />
      <source>去年同期 %1</source>
      <translation>Last year %1</translation>
    </message>
    <message>
      <location filename="../../ui/briefing/pages.py" line="585" />
      <source>零%1</source>
      <translation>Zero %1</translation>
    </message>
    <message>
      <location filename="../../ui/briefing/pages.py" line="146" />
      <source>第 %1 / %2 页</source>
      <translation>Page %1 / %2</translation>
    </message>
    <message>
      <location filename="../../ui/briefing/pages.py" line="228" />
      <source>在办 %1 %2</source>
      <translation>Active %1%2</translation>
    </message>
    <message>
      <location filename="../../ui/briefing/pages.py" line="231" />
      <source>超期 %1 %2</source>
      <translation>Overdue %1%2</translation>
    </message>
    <message>
      <location filename="../../ui/briefing/pages.py" line="293" />
      <source>升级 %1→%2</source>
      <translation>Raised %1→%2</translation>
    </message>
    <message>
      <location filename="../../ui/briefing/pages.py" line="454" />
      <source>较%1周前 %2</source>
      <translation>%2 in %1 weeks</translation>
    </message>
    <message>
      <location filename="../../ui/briefing/pages.py" line="494" />
      <source>本月 %1–%2，与上月同期（环比）、去年同期（同比）相比</source>
      <translation>This month %1–%2, compared with the same days last month (MoM) and last year (YoY)</translation>
    </message>
    <message>
      <location filename="../../ui/briefing/pages.py" line="531" />
      <source>其中红色 %1 人</source>
      <translation>%1 of them red</translation>
    </message>
    <message>
      <location filename="../../ui/briefing/pages.py" line="324" />
      <source>红色预警 · %1（%2 %3）</source>
      <translation>Red level · %1 (%2%3)</translation>
    </message>
    <message>
      <location filename="../../ui/briefing/pages.py" line="369" />
      <source>另有 %1 %2未列出，见系统</source>
      <translation>%1 more%2 not listed, see the system</translation>
    </message>
    <message>
      <location filename="../../ui/briefing/pages.py" line="519" />
      <source>往期化解 %1 起</source>
      <translation>%1 earlier resolved</translation>
    </message>
    <message>
      <location filename="../../ui/briefing/pages.py" line="520" />
      <source>本年 %1</source>
      <translation>YTD %1</translation>
    </message>
    <message>
      <location filename="../../ui/briefing/pages.py" line="524" />
      <source>本年累计 %1</source>
      <translation>Year to date %1</translation>
    </message>
    <message>
      <location filename="../../ui/briefing/pages.py" line="586" />
      <source>%1 %2 起</source>
      <translation>%1: %2</translation>
    </message>
    <message>
      <location filename="../../ui/briefing/pages.py" line="246" />
      <source>从 %1（%2）到现在 %3</source>
      <translation>From %1 (%2) to now %3</translation>
    </message>
    <message>
      <location filename="../../ui/briefing/pages.py" line="574" />
      <source>本月 %1–%2，在管重点人员 %3 人</source>
      <translation>This month %1–%2, %3 key persons listed</translation>
    </message>
    <message>
      <location filename="../../ui/briefing/pages.py" line="614" />
      <source>%1 / %2 %3</source>
      <translation>%1 / %2 %3</translation>
    </message>
    <message>
      <location filename="../../ui/briefing/pages.py" line="517" />
      <source>排查 %1 起，化解 %2 起</source>
      <translation>%1 found, %2 resolved</translation>
    </message>
    <message>
      <location filename="../../ui/briefing/pages.py" line="522" />
      <source>回访 %1 起，满意 %2 起</source>
      <translation>%1 visits, %2 satisfied</translation>
    </message>
    <message>
      <location filename="../../ui/briefing/pages.py" line="598" />
      <source>本月110警情 %1 起，转为纠纷 %2 起；%5日内重复报警地址 %3 处、报警人 %4 个</source>
      <translation>This month: %1 alerts on 110, %2 turned into disputes; repeated within %5 days: %3 addresses, %4 callers</translation>
    </message>
  </context>
  <context>
    <name>FormUndo</name>
    <message>
      <location filename="../../ui/common/undo.py" line="148" />
      <source>撤销</source>
      <translation>Undo</translation>
    </message>
    <message>
      <location filename="../../ui/common/undo.py" line="150" />
      <source>重做</source>
      <translation>Redo</translation>
    </message>
    <message>
      <location filename="../../ui/common/undo.py" line="53" />
      <source>修改“%1”</source>
      <translation>edit '%1'</translation>
    </message>
  </context>
  <context>
    <name>Startup</name>
    <message>
      <location filename="../../ui/main.py" line="80" />
      <source>首次启动：正在创建演示数据库，请稍候…</source>
      <translation>First start: creating the demo database, please wait…</translation>
    </message>
    <message>
      <location filename="../../ui/main.py" line="89" />
      <source>无法打开数据库</source>
      <translation>Cannot open the database</translation>
    </message>
    <message>
      <location filename="../../ui/main.py" line="281" />
      <source>数据库文件：</source>
      <translation>Database file: </translation>
    </message>
    <message>
      <location filename="../../ui/main.py" line="172" />
      <source>打开派出所数据库</source>
      <translation>Open a station database</translation>
    </message>
    <message>
      <location filename="../../ui/main.py" line="172" />
      <source>派出所数据库 (*.db)</source>
      <translation>Station databases (*.db)</translation>
    </message>
    <message>
      <location filename="../../ui/main.py" line="279" />
      <source>数据库：</source>
      <translation>Database: </translation>
    </message>
    <message>
      <location filename="../../ui/main.py" line="137" />
      <source>已创建演示数据库。演示账户 leader（所领导）、teamleader（队长）、officer（民警），密码均为 %1</source>
      <translation>The demo database was created. Demo accounts leader (station leader), teamleader (team leader), officer (officer); the password of each is %1</translation>
    </message>
    <message>
      <location filename="../../ui/main.py" line="140" />
      <source>这是演示数据库。演示账户 leader（所领导）、teamleader（队长）、officer（民警）、admin（系统管理员），密码均为 %1</source>
      <translation>This is the demo database. Demo accounts leader (station leader), teamleader (team leader), officer (officer), admin (administrator); the password of each is %1</translation>
    </message>
    <message>
      <location filename="../../ui/main.py" line="234" />
      <source>无法读写数据库文件：</source>
      <translation>Cannot read or write the database file: </translation>
    </message>
  </context>
  <context>
    <name>RecordColumns</name>
    <message>
      <location filename="../../ui/records/columns.py" line="132" />
      <source>等级</source>
      <translation>Level</translation>
    </message>
    <message>
      <location filename="../../ui/records/columns.py" line="133" />
      <source>案件编号</source>
      <translation>Case no.</translation>
    </message>
    <message>
      <location filename="../../ui/records/columns.py" line="134" />
      <source>案件类型</source>
      <translation>Case type</translation>
    </message>
    <message>
      <location filename="../../ui/records/columns.py" line="135" />
      <source>案由</source>
      <translation>Cause</translation>
    </message>
    <message>
      <location filename="../../ui/records/columns.py" line="136" />
      <source>发案地点</source>
      <translation>Place</translation>
    </message>
    <message>
      <location filename="../../ui/records/columns.py" line="137" />
      <source>受案日期</source>
      <translation>Accepted</translation>
    </message>
    <message>
      <location filename="../../ui/records/columns.py" line="138" />
      <source>纠纷编号</source>
      <translation>Dispute no.</translation>
    </message>
    <message>
      <location filename="../../ui/records/columns.py" line="139" />
      <source>纠纷类别</source>
      <translation>Category</translation>
    </message>
    <message>
      <location filename="../../ui/records/columns.py" line="140" />
      <source>重点领域</source>
      <translation>Focus area</translation>
    </message>
    <message>
      <location filename="../../ui/records/columns.py" line="141" />
      <source>当事人</source>
      <translation>Parties</translation>
    </message>
    <message>
      <location filename="../../ui/records/columns.py" line="142" />
      <source>社区</source>
      <translation>Community</translation>
    </message>
    <message>
      <location filename="../../ui/records/columns.py" line="143" />
      <source>发现日期</source>
      <translation>Found</translation>
    </message>
    <message>
      <location filename="../../ui/records/columns.py" line="144" />
      <source>姓名</source>
      <translation>Name</translation>
    </message>
    <message>
      <location filename="../../ui/records/columns.py" line="145" />
      <source>身份证号</source>
      <translation>ID number</translation>
    </message>
    <message>
      <location filename="../../ui/records/columns.py" line="146" />
      <source>人员类别</source>
      <translation>Risk categories</translation>
    </message>
    <message>
      <location filename="../../ui/records/columns.py" line="147" />
      <source>列管日期</source>
      <translation>Listed</translation>
    </message>
    <message>
      <location filename="../../ui/records/columns.py" line="148" />
      <source>状态</source>
      <translation>Status</translation>
    </message>
    <message>
      <location filename="../../ui/records/columns.py" line="149" />
      <source>责任民警</source>
      <translation>Officer</translation>
    </message>
    <message>
      <location filename="../../ui/records/columns.py" line="150" />
      <source>所属队组</source>
      <translation>Team</translation>
    </message>
    <message>
      <location filename="../../ui/records/columns.py" line="151" />
      <source>队长</source>
      <translation>Team leader</translation>
    </message>
    <message>
      <location filename="../../ui/records/columns.py" line="152" />
      <source>包案所领导</source>
      <translation>Station leader</translation>
    </message>
    <message>
      <location filename="../../ui/records/columns.py" line="153" />
      <source>下次跟进</source>
      <translation>Next follow-up</translation>
    </message>
    <message>
      <location filename="../../ui/records/columns.py" line="154" />
      <source>简要情况</source>
      <translation>Summary</translation>
    </message>
    <message>
      <location filename="../../ui/records/columns.py" line="156" />
      <source>派出所</source>
      <translation>Station</translation>
    </message>
  </context>
  <context>
    <name>RecordForms</name>
    <message>
      <location filename="../../ui/records/forms.py" line="279" />
      <source>已保存</source>
      <translation>Saved</translation>
    </message>
    <message>
      <location filename="../../ui/records/forms.py" line="306" />
      <source>放弃修改</source>
      <translation>Discard changes</translation>
    </message>
    <message>
      <location filename="../../ui/records/forms.py" line="306" />
      <source>表单中有未保存的修改，确定放弃吗？</source>
      <translation>The form has unsaved changes. Discard them?</translation>
    </message>
    <message>
      <location filename="../../ui/records/forms.py" line="348" />
      <source>请选择责任民警</source>
      <translation>Choose the responsible officer</translation>
    </message>
    <message>
      <location filename="../../ui/records/forms.py" line="465" />
      <source>已新建%1：%2</source>
      <translation>Created %1: %2</translation>
    </message>
    <message>
      <location filename="../../ui/records/forms.py" line="465" />
      <source>已保存%1的修改：%2</source>
      <translation>Saved the changes to %1: %2</translation>
    </message>
    <message>
      <location filename="../../ui/records/forms.py" line="487" />
      <source>变更预警等级</source>
      <translation>Change warning level</translation>
    </message>
    <message>
      <location filename="../../ui/records/forms.py" line="535" />
      <source>本次变更即破案（抓获犯罪嫌疑人、案件告破）</source>
      <translation>This change solves the case (suspect caught, case solved)</translation>
    </message>
    <message>
      <location filename="../../ui/records/forms.py" line="543" />
      <source>破案日期</source>
      <translation>Solved on</translation>
    </message>
    <message>
      <location filename="../../ui/records/forms.py" line="563" />
      <source>办结情况</source>
      <translation>Case conclusion</translation>
    </message>
    <message>
      <location filename="../../ui/records/forms.py" line="563" />
      <source>调解结果</source>
      <translation>Mediation outcome</translation>
    </message>
    <message>
      <location filename="../../ui/records/forms.py" line="563" />
      <source>撤销列管评估意见</source>
      <translation>De-listing assessment</translation>
    </message>
    <message>
      <location filename="../../ui/records/forms.py" line="588" />
      <source>记录</source>
      <translation>Record</translation>
    </message>
    <message>
      <location filename="../../ui/records/forms.py" line="606" />
      <source>登记破案</source>
      <translation>Mark solved</translation>
    </message>
    <message>
      <location filename="../../ui/records/forms.py" line="618" />
      <source>破案日期计入“破刑事案件”和“破案率”；预警等级不变，如需转为黄色或绿色请使用“变更等级”。</source>
      <translation>The solved date counts in "criminal cases solved" and the solve rate; the level stays as it is: use "Change level" to move the case to yellow or green.</translation>
    </message>
    <message>
      <location filename="../../ui/records/forms.py" line="628" />
      <source>破案情况</source>
      <translation>How it was solved</translation>
    </message>
    <message>
      <location filename="../../ui/records/forms.py" line="644" />
      <source>登记工作</source>
      <translation>Log action</translation>
    </message>
    <message>
      <location filename="../../ui/records/forms.py" line="666" />
      <source>如 2025-03-08 或 2025年3月8日；留空按等级周期自动计算</source>
      <translation>e.g. 2025-03-08; leave empty to use the level's follow-up cadence</translation>
    </message>
    <message>
      <location filename="../../ui/records/forms.py" line="671" />
      <source>（请选择）</source>
      <translation>(choose)</translation>
    </message>
    <message>
      <location filename="../../ui/records/forms.py" line="674" />
      <source>回访满意度 *</source>
      <translation>Satisfaction *</translation>
    </message>
    <message>
      <location filename="../../ui/records/forms.py" line="771" />
      <source>纠纷转为案件</source>
      <translation>Dispute → case</translation>
    </message>
    <message>
      <location filename="../../ui/records/forms.py" line="828" />
      <source>责任民警</source>
      <translation>Officer</translation>
    </message>
    <message>
      <location filename="../../ui/records/forms.py" line="846" />
      <source>加入专班</source>
      <translation>Add to the team</translation>
    </message>
    <message>
      <location filename="../../ui/records/forms.py" line="852" />
      <source>请选择专班成员</source>
      <translation>Choose a team member</translation>
    </message>
    <message>
      <location filename="../../ui/records/forms.py" line="855" />
      <source>如：每周走访、联系监护人、社区网格员对接</source>
      <translation>e.g. weekly visit, keep in touch with the guardian, liaise with the grid worker</translation>
    </message>
    <message>
      <location filename="../../ui/records/forms.py" line="863" />
      <source>专班成员</source>
      <translation>Team member</translation>
    </message>
    <message>
      <location filename="../../ui/records/forms.py" line="864" />
      <source>分工</source>
      <translation>Duty</translation>
    </message>
    <message>
      <location filename="../../ui/records/forms.py" line="355" />
      <source>登记</source>
      <translation>Registered</translation>
    </message>
    <message>
      <location filename="../../ui/records/forms.py" line="362" />
      <source>选填：当事人身份证号，多个用逗号分隔（用于比对重点人员）</source>
      <translation>Optional: parties' ID numbers, comma-separated (checked against key persons)</translation>
    </message>
    <message>
      <location filename="../../ui/records/forms.py" line="527" />
      <source>当前等级</source>
      <translation>Current level</translation>
    </message>
    <message>
      <location filename="../../ui/records/forms.py" line="528" />
      <source>新等级</source>
      <translation>New level</translation>
    </message>
    <message>
      <location filename="../../ui/records/forms.py" line="529" />
      <source>变更理由 *</source>
      <translation>Reason *</translation>
    </message>
    <message>
      <location filename="../../ui/records/forms.py" line="555" />
      <source>变更理由</source>
      <translation>Reason</translation>
    </message>
    <message>
      <location filename="../../ui/records/forms.py" line="555" />
      <source>结果</source>
      <translation>Result</translation>
    </message>
    <message>
      <location filename="../../ui/records/forms.py" line="621" />
      <source>破案日期 *</source>
      <translation>Solved on *</translation>
    </message>
    <message>
      <location filename="../../ui/records/forms.py" line="622" />
      <source>破案情况 *</source>
      <translation>How it was solved *</translation>
    </message>
    <message>
      <location filename="../../ui/records/forms.py" line="676" />
      <source>工作类型</source>
      <translation>Kind of work</translation>
    </message>
    <message>
      <location filename="../../ui/records/forms.py" line="677" />
      <source>工作内容 *</source>
      <translation>What was done *</translation>
    </message>
    <message>
      <location filename="../../ui/records/forms.py" line="678" />
      <source>工作结果</source>
      <translation>Outcome</translation>
    </message>
    <message>
      <location filename="../../ui/records/forms.py" line="680" />
      <source>工作日期</source>
      <translation>Date</translation>
    </message>
    <message>
      <location filename="../../ui/records/forms.py" line="681" />
      <source>下次跟进日期</source>
      <translation>Next follow-up</translation>
    </message>
    <message>
      <location filename="../../ui/records/forms.py" line="687" />
      <source>工作内容</source>
      <translation>What was done</translation>
    </message>
    <message>
      <location filename="../../ui/records/forms.py" line="688" />
      <source>回访满意度</source>
      <translation>Satisfaction</translation>
    </message>
    <message>
      <location filename="../../ui/records/forms.py" line="709" />
      <source>已登记工作：%1</source>
      <translation>Action logged: %1</translation>
    </message>
    <message>
      <location filename="../../ui/records/forms.py" line="790" />
      <source>案件编号 *</source>
      <translation>Case no. *</translation>
    </message>
    <message>
      <location filename="../../ui/records/forms.py" line="791" />
      <source>案件类别</source>
      <translation>Case kind</translation>
    </message>
    <message>
      <location filename="../../ui/records/forms.py" line="792" />
      <source>案由</source>
      <translation>Cause</translation>
    </message>
    <message>
      <location filename="../../ui/records/forms.py" line="793" />
      <source>案件等级</source>
      <translation>Case level</translation>
    </message>
    <message>
      <location filename="../../ui/records/forms.py" line="794" />
      <source>转案理由 *</source>
      <translation>Reason for conversion *</translation>
    </message>
    <message>
      <location filename="../../ui/records/forms.py" line="799" />
      <source>案件编号</source>
      <translation>Case no.</translation>
    </message>
    <message>
      <location filename="../../ui/records/forms.py" line="800" />
      <source>转案理由</source>
      <translation>Reason for conversion</translation>
    </message>
    <message>
      <location filename="../../ui/records/forms.py" line="823" />
      <source>新的责任民警</source>
      <translation>New responsible officer</translation>
    </message>
    <message>
      <location filename="../../ui/records/forms.py" line="857" />
      <source>专班成员 *</source>
      <translation>Team member *</translation>
    </message>
    <message>
      <location filename="../../ui/records/forms.py" line="866" />
      <source>所有民警都已在专班中</source>
      <translation>Every officer is already on the team</translation>
    </message>
    <message>
      <location filename="../../ui/records/forms.py" line="96" />
      <source>18位，末位可为X</source>
      <translation>18 characters; the last may be X</translation>
    </message>
    <message>
      <location filename="../../ui/records/forms.py" line="98" />
      <source>11位手机号，或固定电话如 0791-86123456</source>
      <translation>11-digit mobile, or a landline such as 0791-86123456</translation>
    </message>
    <message>
      <location filename="../../ui/records/forms.py" line="329" />
      <source>新建%1</source>
      <translation>New: %1</translation>
    </message>
    <message>
      <location filename="../../ui/records/forms.py" line="329" />
      <source>修改%1</source>
      <translation>Edit: %1</translation>
    </message>
    <message>
      <location filename="../../ui/records/forms.py" line="357" />
      <source>登记理由</source>
      <translation>Reason for registering</translation>
    </message>
    <message>
      <location filename="../../ui/records/forms.py" line="363" />
      <source>当事人身份证号</source>
      <translation>Parties' ID numbers</translation>
    </message>
    <message>
      <location filename="../../ui/records/forms.py" line="814" />
      <source>改派责任民警（%1 条）</source>
      <translation>Reassign officer (%1 records)</translation>
    </message>
    <message>
      <location filename="../../ui/records/forms.py" line="887" />
      <source>批量变更预警等级（%1 条）</source>
      <translation>Change level of %1 records</translation>
    </message>
    <message>
      <location filename="../../ui/records/forms.py" line="107" />
      <source>未填</source>
      <translation>Not set</translation>
    </message>
    <message>
      <location filename="../../ui/records/forms.py" line="438" />
      <source>请修改以下 %1 处：</source>
      <translation>Please correct these %1 fields:</translation>
    </message>
    <message>
      <location filename="../../ui/records/forms.py" line="589" />
      <source>%1：等级已变更为%2</source>
      <translation>%1: level changed to %2</translation>
    </message>
    <message>
      <location filename="../../ui/records/forms.py" line="831" />
      <source>已将 %1 条记录改派给%2</source>
      <translation>Reassigned %1 records to %2</translation>
    </message>
    <message>
      <location filename="../../ui/records/forms.py" line="891" />
      <source>混合：%1</source>
      <translation>Mixed: %1</translation>
    </message>
    <message>
      <location filename="../../ui/records/forms.py" line="896" />
      <source>已将 %1 条记录的等级变更为%2</source>
      <translation>Changed %1 records to %2</translation>
    </message>
    <message>
      <location filename="../../ui/records/forms.py" line="226" />
      <source>未分队</source>
      <translation>No team</translation>
    </message>
    <message>
      <location filename="../../ui/records/forms.py" line="127" />
      <source>无</source>
      <translation>None</translation>
    </message>
    <message>
      <location filename="../../ui/records/forms.py" line="424" />
      <source>%1不能为空</source>
      <translation>%1 is required</translation>
    </message>
  </context>
  <context>
    <name>RecordView</name>
    <message>
      <location filename="../../ui/records/record_view.py" line="98" />
      <source>是</source>
      <translation>Yes</translation>
    </message>
    <message>
      <location filename="../../ui/records/record_view.py" line="98" />
      <source>否</source>
      <translation>No</translation>
    </message>
    <message>
      <location filename="../../ui/records/record_view.py" line="209" />
      <source>加入专班…</source>
      <translation>Add to team…</translation>
    </message>
    <message>
      <location filename="../../ui/records/record_view.py" line="212" />
      <source>移出专班</source>
      <translation>Remove from team</translation>
    </message>
    <message>
      <location filename="../../ui/records/record_view.py" line="225" />
      <source>基本信息</source>
      <translation>Details</translation>
    </message>
    <message>
      <location filename="../../ui/records/record_view.py" line="226" />
      <source>处置经过</source>
      <translation>Timeline</translation>
    </message>
    <message>
      <location filename="../../ui/records/record_view.py" line="227" />
      <source>关联记录</source>
      <translation>Linked records</translation>
    </message>
    <message>
      <location filename="../../ui/records/record_view.py" line="228" />
      <source>一人一策</source>
      <translation>Control plan</translation>
    </message>
    <message>
      <location filename="../../ui/records/record_view.py" line="229" />
      <source>一人一专班</source>
      <translation>Dedicated team</translation>
    </message>
    <message>
      <location filename="../../ui/records/record_view.py" line="458" />
      <source>未登录</source>
      <translation>Not logged in</translation>
    </message>
    <message>
      <location filename="../../ui/records/record_view.py" line="467" />
      <source>该记录已作废或已转为案件</source>
      <translation>This record is voided or converted to a case</translation>
    </message>
    <message>
      <location filename="../../ui/records/record_view.py" line="473" />
      <source>该记录已不在办</source>
      <translation>This record is no longer active</translation>
    </message>
    <message>
      <location filename="../../ui/records/record_view.py" line="479" />
      <source>撤销列管须由所领导审批</source>
      <translation>De-listing needs the station leader</translation>
    </message>
    <message>
      <location filename="../../ui/records/record_view.py" line="134" />
      <source>后退</source>
      <translation>Back</translation>
    </message>
    <message>
      <location filename="../../ui/records/record_view.py" line="138" />
      <source>前进</source>
      <translation>Forward</translation>
    </message>
    <message>
      <location filename="../../ui/records/record_view.py" line="167" />
      <source>修改</source>
      <translation>Edit</translation>
    </message>
    <message>
      <location filename="../../ui/records/record_view.py" line="167" />
      <source>变更等级</source>
      <translation>Change level</translation>
    </message>
    <message>
      <location filename="../../ui/records/record_view.py" line="167" />
      <source>登记工作</source>
      <translation>Log action</translation>
    </message>
    <message>
      <location filename="../../ui/records/record_view.py" line="168" />
      <source>转为案件</source>
      <translation>Convert to case</translation>
    </message>
    <message>
      <location filename="../../ui/records/record_view.py" line="168" />
      <source>撤销列管</source>
      <translation>De-list</translation>
    </message>
    <message>
      <location filename="../../ui/records/record_view.py" line="168" />
      <source>登记破案</source>
      <translation>Mark solved</translation>
    </message>
    <message>
      <location filename="../../ui/records/record_view.py" line="169" />
      <source>作废</source>
      <translation>Void</translation>
    </message>
    <message>
      <location filename="../../ui/records/record_view.py" line="190" />
      <source>时间</source>
      <translation>Time</translation>
    </message>
    <message>
      <location filename="../../ui/records/record_view.py" line="190" />
      <source>事项</source>
      <translation>Event</translation>
    </message>
    <message>
      <location filename="../../ui/records/record_view.py" line="190" />
      <source>经办人</source>
      <translation>By</translation>
    </message>
    <message>
      <location filename="../../ui/records/record_view.py" line="190" />
      <source>内容</source>
      <translation>Content</translation>
    </message>
    <message>
      <location filename="../../ui/records/record_view.py" line="190" />
      <source>结果</source>
      <translation>Result</translation>
    </message>
    <message>
      <location filename="../../ui/records/record_view.py" line="190" />
      <source>下次跟进</source>
      <translation>Next follow-up</translation>
    </message>
    <message>
      <location filename="../../ui/records/record_view.py" line="261" />
      <source>在管在控</source>
      <translation>Control</translation>
    </message>
    <message>
      <location filename="../../ui/records/record_view.py" line="262" />
      <source>融调化解</source>
      <translation>Mediation</translation>
    </message>
    <message>
      <location filename="../../ui/records/record_view.py" line="263" />
      <source>串并侦查</source>
      <translation>Case series</translation>
    </message>
    <message>
      <location filename="../../ui/records/record_view.py" line="446" />
      <source>双击打开</source>
      <translation>Double-click to open</translation>
    </message>
    <message>
      <location filename="../../ui/records/record_view.py" line="338" />
      <source>下次跟进：无（已办结或不需跟进）</source>
      <translation>Next follow-up: none (closed or not needed)</translation>
    </message>
    <message>
      <location filename="../../ui/records/record_view.py" line="338" />
      <source>下次跟进：—</source>
      <translation>Next follow-up: —</translation>
    </message>
    <message>
      <location filename="../../ui/records/record_view.py" line="357" />
      <source>（尚未制定管控方案）</source>
      <translation>(no control plan yet)</translation>
    </message>
    <message>
      <location filename="../../ui/records/record_view.py" line="365" />
      <source>（尚未组建专班）</source>
      <translation>(no dedicated team yet)</translation>
    </message>
    <message>
      <location filename="../../ui/records/record_view.py" line="391" />
      <source>请先在专班名单中选择一名成员</source>
      <translation>Select a member in the dedicated team first</translation>
    </message>
    <message>
      <location filename="../../ui/records/record_view.py" line="448" />
      <source>关联记录（%1）</source>
      <translation>Linked records (%1)</translation>
    </message>
    <message>
      <location filename="../../ui/records/record_view.py" line="346" />
      <source>下次跟进：%1</source>
      <translation>Next follow-up: %1</translation>
    </message>
    <message>
      <location filename="../../ui/records/record_view.py" line="349" />
      <source>作废理由：%1</source>
      <translation>Voided: %1</translation>
    </message>
    <message>
      <location filename="../../ui/records/record_view.py" line="417" />
      <source>登记（%1）</source>
      <translation>Registered (%1)</translation>
    </message>
    <message>
      <location filename="../../ui/records/record_view.py" line="419" />
      <source>记录</source>
      <translation>Record</translation>
    </message>
    <message>
      <location filename="../../ui/records/record_view.py" line="334" />
      <source>包案所领导：%1　队长：%2　责任民警：%3</source>
      <translation>Station leader: %1   Team leader: %2   Officer: %3</translation>
    </message>
    <message>
      <location filename="../../ui/records/record_view.py" line="342" />
      <source>下次跟进：%1（已超期 %2 天）</source>
      <translation>Next follow-up: %1 (overdue by %2 days)</translation>
    </message>
    <message>
      <location filename="../../ui/records/record_view.py" line="421" />
      <source>等级 %1→%2</source>
      <translation>Level %1→%2</translation>
    </message>
  </context>
  <context>
    <name>Suggestions</name>
    <message>
      <location filename="../../ui/records/suggestions.py" line="37" />
      <source>身份证号相同</source>
      <translation>same ID number</translation>
    </message>
    <message>
      <location filename="../../ui/records/suggestions.py" line="37" />
      <source>姓名和出生日期相同</source>
      <translation>same name and birth date</translation>
    </message>
    <message>
      <location filename="../../ui/records/suggestions.py" line="62" />
      <source>关联提示</source>
      <translation>Related records</translation>
    </message>
    <message>
      <location filename="../../ui/records/suggestions.py" line="66" />
      <source>新登记的记录与在册信息有关联，请逐条确认：</source>
      <translation>The new record matches records on file; answer each:</translation>
    </message>
    <message>
      <location filename="../../ui/records/suggestions.py" line="76" />
      <source>忽略</source>
      <translation>Dismiss</translation>
    </message>
    <message>
      <location filename="../../ui/records/suggestions.py" line="74" />
      <source>关联</source>
      <translation>Link</translation>
    </message>
    <message>
      <location filename="../../ui/records/suggestions.py" line="74" />
      <source>升级</source>
      <translation>Raise</translation>
    </message>
    <message>
      <location filename="../../ui/records/suggestions.py" line="103" />
      <source>【已采纳】</source>
      <translation>[accepted]</translation>
    </message>
    <message>
      <location filename="../../ui/records/suggestions.py" line="103" />
      <source>【已忽略】</source>
      <translation>[dismissed]</translation>
    </message>
    <message>
      <location filename="../../ui/records/suggestions.py" line="38" />
      <source>当事人%1是在册重点人员（%2，%3）</source>
      <translation>Party %1 is a key person on file (%2, %3)</translation>
    </message>
    <message>
      <location filename="../../ui/records/suggestions.py" line="45" />
      <source>%1 已于 %2 报警（纠纷 %3），%4 日内再次报警，建议升为%5</source>
      <translation>%1 called 110 on %2 (dispute %3) and again within %4 days: raise to %5?</translation>
    </message>
  </context>
  <context>
    <name>RecordTableView</name>
    <message numerus="yes">
      <location filename="../../ui/records/table_view.py" line="518" />
      <source>共 %n 条</source>
      <translation>
        <numerusform>%n record</numerusform>
        <numerusform>%n records</numerusform>
      </translation>
    </message>
    <message>
      <location filename="../../ui/records/table_view.py" line="734" />
      <source>台账格式，与台账模板相同的列，可再导入 (*.xlsx)</source>
      <translation>Ledger layout, the ledger template's columns, imports again (*.xlsx)</translation>
    </message>
    <message numerus="yes">
      <location filename="../../ui/records/table_view.py" line="122" />
      <source>%n 起</source>
      <translation>
        <numerusform>%n record</numerusform>
        <numerusform>%n records</numerusform>
      </translation>
    </message>
    <message>
      <location filename="../../ui/records/table_view.py" line="126" />
      <source>显示中，点击隐藏{0}记录</source>
      <translation>Shown; click to hide {0} records</translation>
    </message>
    <message>
      <location filename="../../ui/records/table_view.py" line="126" />
      <source>已隐藏，点击显示{0}记录</source>
      <translation>Hidden; click to show {0} records</translation>
    </message>
    <message>
      <location filename="../../ui/records/table_view.py" line="213" />
      <source>搜索：编号、姓名或拼音首字母、地点、社区…</source>
      <translation>Search: number, name or its pinyin initials, place, community…</translation>
    </message>
    <message>
      <location filename="../../ui/records/table_view.py" line="220" />
      <source>只看超期</source>
      <translation>Overdue only</translation>
    </message>
    <message>
      <location filename="../../ui/records/table_view.py" line="255" />
      <source>清除图表筛选</source>
      <translation>Clear the chart filter</translation>
    </message>
    <message numerus="yes">
      <location filename="../../ui/records/table_view.py" line="520" />
      <source>，其中超期 %n 条</source>
      <translation>
        <numerusform>, %n overdue</numerusform>
        <numerusform>, %n overdue</numerusform>
      </translation>
    </message>
    <message>
      <location filename="../../ui/records/table_view.py" line="543" />
      <source>全部类别</source>
      <translation>All categories</translation>
    </message>
    <message>
      <location filename="../../ui/records/table_view.py" line="548" />
      <source>全部责任人</source>
      <translation>Anyone responsible</translation>
    </message>
    <message>
      <location filename="../../ui/records/table_view.py" line="553" />
      <source>全部队组</source>
      <translation>All teams</translation>
    </message>
    <message>
      <location filename="../../ui/records/table_view.py" line="564" />
      <source>全部（含已转案件、已作废）</source>
      <translation>All (incl. converted and voided)</translation>
    </message>
    <message>
      <location filename="../../ui/records/table_view.py" line="577" />
      <source>受案日期</source>
      <translation>Accepted</translation>
    </message>
    <message>
      <location filename="../../ui/records/table_view.py" line="577" />
      <source>发现日期</source>
      <translation>Found</translation>
    </message>
    <message>
      <location filename="../../ui/records/table_view.py" line="577" />
      <source>列管日期</source>
      <translation>Listed</translation>
    </message>
    <message>
      <location filename="../../ui/records/table_view.py" line="582" />
      <source>清除筛选</source>
      <translation>Clear filters</translation>
    </message>
    <message>
      <location filename="../../ui/records/table_view.py" line="611" />
      <source>不限</source>
      <translation>Any</translation>
    </message>
    <message>
      <location filename="../../ui/records/table_view.py" line="736" />
      <source>导出当前视图</source>
      <translation>Export current view</translation>
    </message>
    <message>
      <location filename="../../ui/records/table_view.py" line="795" />
      <source>打开</source>
      <translation>Open</translation>
    </message>
    <message>
      <location filename="../../ui/records/table_view.py" line="863" />
      <source>显示的列</source>
      <translation>Columns shown</translation>
    </message>
    <message>
      <location filename="../../ui/records/table_view.py" line="371" />
      <source>图表筛选：</source>
      <translation>Chart filter: </translation>
    </message>
    <message>
      <location filename="../../ui/records/table_view.py" line="559" />
      <source>在办和已办结</source>
      <translation>Active and closed</translation>
    </message>
    <message>
      <location filename="../../ui/records/table_view.py" line="559" />
      <source>在办和已化解</source>
      <translation>Active and resolved</translation>
    </message>
    <message>
      <location filename="../../ui/records/table_view.py" line="560" />
      <source>在管和撤销列管</source>
      <translation>Listed and de-listed</translation>
    </message>
    <message>
      <location filename="../../ui/records/table_view.py" line="570" />
      <source>全部派出所</source>
      <translation>All stations</translation>
    </message>
    <message>
      <location filename="../../ui/records/table_view.py" line="597" />
      <source>新建</source>
      <translation>New</translation>
    </message>
    <message>
      <location filename="../../ui/records/table_view.py" line="597" />
      <source>改派</source>
      <translation>Reassign</translation>
    </message>
    <message>
      <location filename="../../ui/records/table_view.py" line="597" />
      <source>批量变更等级</source>
      <translation>Change level</translation>
    </message>
    <message>
      <location filename="../../ui/records/table_view.py" line="598" />
      <source>导出…</source>
      <translation>Export…</translation>
    </message>
    <message>
      <location filename="../../ui/records/table_view.py" line="723" />
      <source>未选择记录</source>
      <translation>No records selected</translation>
    </message>
    <message>
      <location filename="../../ui/records/table_view.py" line="723" />
      <source>请先在表格中选择记录（可按住 Ctrl 或 Shift 多选）。</source>
      <translation>Select records in the table first (Ctrl or Shift selects several).</translation>
    </message>
    <message>
      <location filename="../../ui/records/table_view.py" line="801" />
      <source>变更等级…</source>
      <translation>Change level…</translation>
    </message>
    <message>
      <location filename="../../ui/records/table_view.py" line="802" />
      <source>登记工作…</source>
      <translation>Log action…</translation>
    </message>
    <message numerus="yes">
      <location filename="../../ui/records/table_view.py" line="122" />
      <source>%n 人</source>
      <translation>
        <numerusform>%n person</numerusform>
        <numerusform>%n persons</numerusform>
      </translation>
    </message>
    <message>
      <location filename="../../ui/records/table_view.py" line="472" />
      <source>可换个搜索词，或点击“清除筛选”（Ctrl+Shift+L）查看全部记录</source>
      <translation>Try another word, or Clear filters (Ctrl+Shift+L) to see every record</translation>
    </message>
    <message>
      <location filename="../../ui/records/table_view.py" line="475" />
      <source>点击“新建”（Ctrl+N）登记第一条，或从“文件”菜单导入台账</source>
      <translation>Click New (Ctrl+N) to enter the first one, or import a ledger from the File menu</translation>
    </message>
    <message>
      <location filename="../../ui/records/table_view.py" line="495" />
      <source>拼音匹配：%1（显示文字相符的记录，以及这些民警任责任民警、队长或包案所领导的记录）</source>
      <translation>Pinyin: %1 (records whose text matches, and records where these officers are the responsible officer, team leader or station leader)</translation>
    </message>
    <message>
      <location filename="../../ui/records/table_view.py" line="737" />
      <source>Excel 工作簿 (*.xlsx);;CSV 文件 (*.csv)</source>
      <translation>Excel workbook (*.xlsx);;CSV file (*.csv)</translation>
    </message>
    <message>
      <location filename="../../ui/records/table_view.py" line="745" />
      <source>导出</source>
      <translation>Export</translation>
    </message>
    <message numerus="yes">
      <location filename="../../ui/records/table_view.py" line="745" />
      <source>只导出选中的 %n 条记录吗？（否：导出当前筛选下的全部记录）</source>
      <translation>
        <numerusform>Export only the %n selected record? (No: export every record of the current filter)</numerusform>
        <numerusform>Export only the %n selected records? (No: export every record of the current filter)</numerusform>
      </translation>
    </message>
    <message>
      <location filename="../../ui/records/table_view.py" line="760" />
      <source>导出失败</source>
      <translation>Export failed</translation>
    </message>
    <message>
      <location filename="../../ui/records/table_view.py" line="471" />
      <source>当前筛选条件下没有%1记录</source>
      <translation>No %1 under the current filters</translation>
    </message>
    <message>
      <location filename="../../ui/records/table_view.py" line="493" />
      <source>“%1”= %2</source>
      <translation>"%1" = %2</translation>
    </message>
    <message>
      <location filename="../../ui/records/table_view.py" line="470" />
      <source>没有找到与“%1”相符的%2记录</source>
      <translation>No %2 match "%1"</translation>
    </message>
    <message>
      <location filename="../../ui/records/table_view.py" line="474" />
      <source>还没有%1记录</source>
      <translation>No %1 yet</translation>
    </message>
  </context>
  <context>
    <name>Workstation</name>
    <message>
      <location filename="../../ui/records/workstation.py" line="47" />
      <source>记录详情</source>
      <translation>Record</translation>
    </message>
    <message>
      <location filename="../../ui/records/workstation.py" line="198" />
      <source>移出专班</source>
      <translation>Remove from team</translation>
    </message>
    <message>
      <location filename="../../ui/records/workstation.py" line="177" />
      <source>撤销列管</source>
      <translation>De-list</translation>
    </message>
    <message>
      <location filename="../../ui/records/workstation.py" line="177" />
      <source>撤销列管评估意见（必填）：</source>
      <translation>De-listing assessment (required):</translation>
    </message>
    <message>
      <location filename="../../ui/records/workstation.py" line="183" />
      <source>作废记录</source>
      <translation>Void record</translation>
    </message>
    <message>
      <location filename="../../ui/records/workstation.py" line="183" />
      <source>作废理由（必填）：</source>
      <translation>Reason for voiding (required):</translation>
    </message>
    <message>
      <location filename="../../ui/records/workstation.py" line="96" />
      <source>无法打开记录</source>
      <translation>Cannot open the record</translation>
    </message>
    <message>
      <location filename="../../ui/records/workstation.py" line="179" />
      <source>经评估无现实危险或符合撤销列管条件的，由所领导审批撤销列管；记录保留，等级转为绿色。</source>
      <translation>A person assessed as no present danger, or meeting the conditions, is de-listed with the station leader's approval; the file stays and turns green.</translation>
    </message>
    <message>
      <location filename="../../ui/records/workstation.py" line="185" />
      <source>作废用于纠正录入错误：记录不会删除，作废后不再计入任何在办清单和统计。</source>
      <translation>Voiding corrects a wrong entry: the record is not deleted, and leaves every active list and count.</translation>
    </message>
    <message>
      <location filename="../../ui/records/workstation.py" line="199" />
      <source>确定将 %1 移出专班吗？</source>
      <translation>Remove %1 from the dedicated team?</translation>
    </message>
    <message>
      <location filename="../../ui/records/workstation.py" line="210" />
      <source>无法移出专班</source>
      <translation>Cannot remove from the team</translation>
    </message>
  </context>
  <context>
    <name>Workflows</name>
    <message>
      <location filename="../../ui/workflows/forms.py" line="148" />
      <source>已保存</source>
      <translation>Saved</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/record_panels.py" line="51" />
      <source>案由</source>
      <translation>Cause</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/record_panels.py" line="51" />
      <source>地点</source>
      <translation>Place</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/record_panels.py" line="51" />
      <source>时间</source>
      <translation>Time</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/record_panels.py" line="100" />
      <source>未登录</source>
      <translation>Not logged in</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/record_panels.py" line="149" />
      <source>管控记录</source>
      <translation>Control record</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/record_panels.py" line="150" />
      <source>失控·非访·滋事</source>
      <translation>Lost control · petitions · trouble</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/record_panels.py" line="151" />
      <source>风险评估</source>
      <translation>Risk assessment</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/record_panels.py" line="193" />
      <source>该人员已不在管</source>
      <translation>The person is no longer listed</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/record_panels.py" line="197" />
      <source>记录已作废</source>
      <translation>The record is voided</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/record_panels.py" line="202" />
      <source>登记核查</source>
      <translation>Record a check</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/record_panels.py" line="202" />
      <source>天网比中</source>
      <translation>Camera hit</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/record_panels.py" line="212" />
      <source>变更管控状态</source>
      <translation>Change control status</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/record_panels.py" line="221" />
      <source>登记事件</source>
      <translation>Record an event</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/record_panels.py" line="308" />
      <source>该记录已不在办</source>
      <translation>This record is no longer active</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/record_panels.py" line="310" />
      <source>只有非公安主责类纠纷可以移交其他部门</source>
      <translation>Only a dispute that is not the police's responsibility is handed over</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/record_panels.py" line="312" />
      <source>已移交，尚待答复</source>
      <translation>Handed over; awaiting the answer</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/record_panels.py" line="314" />
      <source>没有待答复的移交</source>
      <translation>No hand-over awaits an answer</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/record_panels.py" line="316" />
      <source>调解完成（绿色）后回访</source>
      <translation>Follow-up comes after mediation (green)</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/record_panels.py" line="321" />
      <source>登记调解</source>
      <translation>Record a mediation</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/record_panels.py" line="335" />
      <source>移交部门</source>
      <translation>Hand over</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/record_panels.py" line="345" />
      <source>登记答复</source>
      <translation>Record the answer</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/record_panels.py" line="352" />
      <source>登记回访</source>
      <translation>Record the follow-up</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/record_panels.py" line="383" />
      <source>侦查中</source>
      <translation>Investigating</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/record_panels.py" line="383" />
      <source>已破</source>
      <translation>Solved</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/record_panels.py" line="399" />
      <source>新建串并案</source>
      <translation>New series</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/record_panels.py" line="409" />
      <source>加入串并案</source>
      <translation>Add to a series</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/record_panels.py" line="142" />
      <source>事项</source>
      <translation>Event</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/record_panels.py" line="142" />
      <source>管控状态</source>
      <translation>Control status</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/record_panels.py" line="142" />
      <source>经办人</source>
      <translation>By</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/record_panels.py" line="142" />
      <source>结果</source>
      <translation>Result</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/record_panels.py" line="144" />
      <source>日期</source>
      <translation>Date</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/record_panels.py" line="144" />
      <source>事件</source>
      <translation>Event</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/record_panels.py" line="144" />
      <source>级别</source>
      <translation>Tier</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/record_panels.py" line="144" />
      <source>登记人</source>
      <translation>Recorded by</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/record_panels.py" line="144" />
      <source>经过</source>
      <translation>What happened</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/record_panels.py" line="145" />
      <source>评估时间</source>
      <translation>Assessed</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/record_panels.py" line="145" />
      <source>评估人</source>
      <translation>Assessed by</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/record_panels.py" line="145" />
      <source>人员类别</source>
      <translation>Risk categories</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/record_panels.py" line="145" />
      <source>建议等级</source>
      <translation>Proposed level</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/record_panels.py" line="145" />
      <source>确认等级</source>
      <translation>Confirmed level</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/record_panels.py" line="146" />
      <source>理由</source>
      <translation>Reason</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/record_panels.py" line="168" />
      <source>天网布控：是</source>
      <translation>On the camera watch list: yes</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/record_panels.py" line="168" />
      <source>天网布控：否</source>
      <translation>On the camera watch list: no</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/record_panels.py" line="229" />
      <source>失控、非访、滋事计入统计与晨会简报（零失控、零非访、零滋事）。</source>
      <translation>Losing control, irregular petitions and trouble count in the statistics and the morning briefing (zero lost control, zero petitions, zero trouble).</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/record_panels.py" line="249" />
      <source>按人员类别建议预警等级（重大刑事前科、扬言极端、肇事肇祸精神病人3级及以上、中联办/部督/省督非访人员为红色；涉退、涉众、五失人员为橙色；一般为黄色），民警确认或说明理由后调整。</source>
      <translation>The categories propose the level (red: serious criminal record, threatens extreme acts, mentally ill who caused incidents at grade 3 or above, petitioners named by the central office, the ministry or the province; orange: ex-servicemen, mass-involvement groups, the five losses; yellow: ordinary); the officer confirms it or gives the reason for another.</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/record_panels.py" line="268" />
      <source>调解日期</source>
      <translation>Mediation date</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/record_panels.py" line="268" />
      <source>调解组织</source>
      <translation>Mediation body</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/record_panels.py" line="268" />
      <source>调解人</source>
      <translation>Mediator</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/record_panels.py" line="268" />
      <source>协议内容</source>
      <translation>Agreement</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/record_panels.py" line="298" />
      <source>尚未移交，尚无回访期限</source>
      <translation>Not handed over; no follow-up due yet</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/record_panels.py" line="342" />
      <source>非公安主责类纠纷移交主管部门，逾期未答复计为超期。</source>
      <translation>A dispute that is not the police's responsibility goes to the department in charge; a missing answer past its due date is overdue.</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/record_panels.py" line="369" />
      <source>与所选案件串并…</source>
      <translation>Group with the selected cases…</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/record_panels.py" line="370" />
      <source>加入串并案…</source>
      <translation>Add to a series…</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/record_panels.py" line="372" />
      <source>案件编号</source>
      <translation>Case no.</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/record_panels.py" line="372" />
      <source>受案日期</source>
      <translation>Accepted</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/record_panels.py" line="372" />
      <source>相同点</source>
      <translation>In common</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/record_panels.py" line="377" />
      <source>可串并的橙色案件（案由、地点、时间相近）：</source>
      <translation>Orange cases to link (similar cause, place and time):</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/record_panels.py" line="385" />
      <source>尚未串并</source>
      <translation>Not in a series</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/record_panels.py" line="162" />
      <source>管控状态：%1</source>
      <translation>Control status: %1</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/record_panels.py" line="163" />
      <source>最近核查：%1</source>
      <translation>Last check: %1</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/record_panels.py" line="192" />
      <source>失控·非访·滋事（%1）</source>
      <translation>Lost control · petitions · trouble (%1)</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/record_panels.py" line="201" />
      <source>不变</source>
      <translation>Unchanged</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/record_panels.py" line="207" />
      <source>核查后状态</source>
      <translation>Status after the check</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/record_panels.py" line="215" />
      <source>去向/地点</source>
      <translation>Whereabouts / place</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/record_panels.py" line="220" />
      <source>（非访时必填）</source>
      <translation>(required for a petition)</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/record_panels.py" line="223" />
      <source>非访级别</source>
      <translation>Petition tier</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/record_panels.py" line="224" />
      <source>发生日期</source>
      <translation>Date</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/record_panels.py" line="234" />
      <source>采用建议等级</source>
      <translation>Use the proposed level</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/record_panels.py" line="240" />
      <source>精神病人风险等级</source>
      <translation>Mental-illness risk grade</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/record_panels.py" line="243" />
      <source>调整理由</source>
      <translation>Reason for a different level</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/record_panels.py" line="244" />
      <source>评估意见</source>
      <translation>Assessment notes</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/record_panels.py" line="307" />
      <source>该记录已作废或已转为案件</source>
      <translation>This record is voided or converted to a case</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/record_panels.py" line="320" />
      <source>派出所自行调解</source>
      <translation>The station itself</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/record_panels.py" line="337" />
      <source>移交日期</source>
      <translation>Handed over on</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/record_panels.py" line="338" />
      <source>答复期限</source>
      <translation>Answer due</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/record_panels.py" line="339" />
      <source>说明</source>
      <translation>Note</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/record_panels.py" line="346" />
      <source>答复日期</source>
      <translation>Answered on</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/record_panels.py" line="347" />
      <source>答复内容</source>
      <translation>Answer</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/record_panels.py" line="353" />
      <source>回访日期</source>
      <translation>Follow-up date</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/record_panels.py" line="354" />
      <source>满意度</source>
      <translation>Satisfaction</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/record_panels.py" line="355" />
      <source>回访情况</source>
      <translation>Follow-up notes</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/record_panels.py" line="394" />
      <source>没有侦查中的串并案</source>
      <translation>No series under investigation</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/record_panels.py" line="400" />
      <source>串并案名称</source>
      <translation>Series name</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/record_panels.py" line="401" />
      <source>共同特征</source>
      <translation>Common features</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/record_panels.py" line="410" />
      <source>串并案</source>
      <translation>Series</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/record_panels.py" line="243" />
      <source>确认等级与建议等级不同时必填</source>
      <translation>Required when the confirmed level differs from the proposal</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/record_panels.py" line="294" />
      <source>（已超期）</source>
      <translation> (overdue)</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/record_panels.py" line="384" />
      <source>所属串并案：%1</source>
      <translation>Series: %1</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/record_panels.py" line="404" />
      <source>本案与所选的 %1 起案件组成串并案，由您主办。</source>
      <translation>This case and the %1 selected cases form a series, led by you.</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/record_panels.py" line="166" />
      <source>下次核查：%1（已超期）</source>
      <translation>Next check: %1 (overdue)</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/record_panels.py" line="167" />
      <source>下次核查：%1</source>
      <translation>Next check: %1</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/record_panels.py" line="206" />
      <source>比中，轨迹正常</source>
      <translation>Hit; movements normal</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/record_panels.py" line="290" />
      <source>，已超期</source>
      <translation>, overdue</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/record_panels.py" line="294" />
      <source>回访期限：%1</source>
      <translation>Follow-up due: %1</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/record_panels.py" line="296" />
      <source>已回访：%1，%2</source>
      <translation>Followed up: %1, %2</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/record_panels.py" line="400" />
      <source>%1系列案</source>
      <translation>%1 series</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/record_panels.py" line="288" />
      <source>已移交%1（%2），答复期限%3</source>
      <translation>Handed over to %1 (%2); answer due %3</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/record_panels.py" line="282" />
      <source>已移交%1（%2），%3答复：%4</source>
      <translation>Handed over to %1 (%2); answered %3: %4</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/window.py" line="70" />
      <source>导入110警情…</source>
      <translation>Import 110 alerts…</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/window.py" line="73" />
      <source>转为纠纷…</source>
      <translation>Turn into a dispute…</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/window.py" line="90" />
      <source>按建议升级</source>
      <translation>Raise as suggested</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/window.py" line="93" />
      <source>忽略</source>
      <translation>Dismiss</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/window.py" line="166" />
      <source>请先选择一条警情</source>
      <translation>Select an alert first</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/window.py" line="168" />
      <source>该警情已转为纠纷</source>
      <translation>The alert is already a dispute</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/window.py" line="174" />
      <source>请先选择一条提示</source>
      <translation>Select a suggestion first</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/window.py" line="199" />
      <source>导入110警情</source>
      <translation>Import 110 alerts</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/window.py" line="199" />
      <source>警情表 (*.xlsx *.csv)</source>
      <translation>Alert logs (*.xlsx *.csv)</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/window.py" line="239" />
      <source>警情转为纠纷</source>
      <translation>Alert to dispute</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/window.py" line="337" />
      <source>加入所选候选案件</source>
      <translation>Add the selected candidates</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/window.py" line="340" />
      <source>串并案告破…</source>
      <translation>Series solved…</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/window.py" line="343" />
      <source>移出串并案…</source>
      <translation>Take out of the series…</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/window.py" line="433" />
      <source>请先选择侦查中的串并案</source>
      <translation>Select a series under investigation first</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/window.py" line="438" />
      <source>请先选择要移出的案件</source>
      <translation>Select the case to take out first</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/window.py" line="447" />
      <source>移出串并案</source>
      <translation>Take out of the series</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/window.py" line="466" />
      <source>串并案告破</source>
      <translation>Series solved</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/window.py" line="477" />
      <source>导出天网布控名单…</source>
      <translation>Export the camera watch list…</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/window.py" line="518" />
      <source>导出天网布控名单</source>
      <translation>Export the camera watch list</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/window.py" line="519" />
      <source>Excel 文件 (*.xlsx)</source>
      <translation>Excel files (*.xlsx)</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/window.py" line="538" />
      <source>添加调解组织…</source>
      <translation>Add a mediation body…</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/window.py" line="541" />
      <source>停用/启用</source>
      <translation>Retire / restore</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/window.py" line="587" />
      <source>添加调解组织</source>
      <translation>Add a mediation body</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/window.py" line="617" />
      <source>工作方法：110警情、串并侦查、天网布控、融调化解</source>
      <translation>Working methods: 110 alerts, case series, watch list, mediation</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/window.py" line="83" />
      <source>报警时间</source>
      <translation>Received</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/window.py" line="83" />
      <source>警情编号</source>
      <translation>Alert number</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/window.py" line="83" />
      <source>地址</source>
      <translation>Address</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/window.py" line="83" />
      <source>报警人</source>
      <translation>Caller</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/window.py" line="83" />
      <source>电话</source>
      <translation>Phone</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/window.py" line="83" />
      <source>类别</source>
      <translation>Kind</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/window.py" line="84" />
      <source>重复</source>
      <translation>Repeats</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/window.py" line="84" />
      <source>转为纠纷</source>
      <translation>Dispute</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/window.py" line="84" />
      <source>简要警情</source>
      <translation>Summary</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/window.py" line="87" />
      <source>地址或报警人</source>
      <translation>Address or caller</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/window.py" line="87" />
      <source>次数</source>
      <translation>Alerts</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/window.py" line="87" />
      <source>首次</source>
      <translation>First</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/window.py" line="87" />
      <source>最近</source>
      <translation>Latest</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/window.py" line="88" />
      <source>相关纠纷</source>
      <translation>Dispute</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/window.py" line="88" />
      <source>等级</source>
      <translation>Level</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/window.py" line="88" />
      <source>重复报警提示</source>
      <translation>Repeat-call suggestion</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/window.py" line="288" />
      <source>（未选择串并案）</source>
      <translation>(no series selected)</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/window.py" line="325" />
      <source>主办民警</source>
      <translation>Lead officer</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/window.py" line="325" />
      <source>案件</source>
      <translation>Cases</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/window.py" line="325" />
      <source>状态</source>
      <translation>Status</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/window.py" line="327" />
      <source>破案日期</source>
      <translation>Solved on</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/window.py" line="328" />
      <source>责任民警</source>
      <translation>Officer</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/window.py" line="352" />
      <source>可串并的橙色案件：</source>
      <translation>Orange cases to link:</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/window.py" line="390" />
      <source>尚无串并案：在案件的“串并侦查”页中把相似的橙色案件串并。</source>
      <translation>No series yet: group similar orange cases on a case's "Series" tab.</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/window.py" line="470" />
      <source>串并案中须有一起案件已登记破案。</source>
      <translation>One case of the series must already be recorded as solved.</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/window.py" line="486" />
      <source>姓名</source>
      <translation>Name</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/window.py" line="486" />
      <source>最近核查</source>
      <translation>Last check</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/window.py" line="537" />
      <source>类型</source>
      <translation>Type</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/window.py" line="537" />
      <source>联系方式</source>
      <translation>Contact</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/window.py" line="537" />
      <source>调解次数</source>
      <translation>Mediations</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/window.py" line="544" />
      <source>纠纷编号</source>
      <translation>Dispute no.</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/window.py" line="544" />
      <source>当事人</source>
      <translation>Parties</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/window.py" line="544" />
      <source>期限</source>
      <translation>Due</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/window.py" line="551" />
      <source>调解组织（融调解中心、群众工作室、人民调解委员会、司法所…）</source>
      <translation>Mediation bodies (integrated mediation centre, community work room, people's mediation committee, judicial office…)</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/window.py" line="569" />
      <source>移交答复超期</source>
      <translation>Hand-over answers overdue</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/window.py" line="622" />
      <source>110警情</source>
      <translation>110 alerts</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/window.py" line="622" />
      <source>串并侦查</source>
      <translation>Case series</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/window.py" line="622" />
      <source>天网布控</source>
      <translation>Watch list</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/window.py" line="623" />
      <source>融调化解</source>
      <translation>Mediation</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/window.py" line="147" />
      <source>待处理的重复报警提示（%1 条）</source>
      <translation>Repeat-call suggestions to answer (%1)</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/window.py" line="241" />
      <source>纠纷类别</source>
      <translation>Category</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/window.py" line="242" />
      <source>预警等级</source>
      <translation>Warning level</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/window.py" line="244" />
      <source>重点领域</source>
      <translation>Focus area</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/window.py" line="435" />
      <source>没有候选案件</source>
      <translation>No candidate cases</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/window.py" line="447" />
      <source>移出理由</source>
      <translation>Reason</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/window.py" line="460" />
      <source>无法串并</source>
      <translation>Cannot add to the series</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/window.py" line="467" />
      <source>告破日期</source>
      <translation>Solved on</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/window.py" line="468" />
      <source>破案情况</source>
      <translation>How it was solved</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/window.py" line="503" />
      <source>（超期）</source>
      <translation> (overdue)</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/window.py" line="571" />
      <source>回访超期</source>
      <translation>Follow-ups overdue</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/window.py" line="571" />
      <source>回访将到期</source>
      <translation>Follow-up due soon</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/window.py" line="588" />
      <source>名称</source>
      <translation>Name</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/window.py" line="600" />
      <source>无法修改</source>
      <translation>Cannot change it</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/window.py" line="248" />
      <source>该地址或报警人近期已多次报警，建议提高预警等级。</source>
      <translation>This address or caller has called several times lately: consider a higher level.</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/window.py" line="416" />
      <source>共同特征：%1</source>
      <translation>Common features: %1</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/window.py" line="418" />
      <source>已于 %1 告破</source>
      <translation>Solved on %1</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/window.py" line="449" />
      <source>把案件 %1 移出该串并案。串并案至少保留两起案件；若移出的是唯一已破的案件，串并案恢复为侦查中。</source>
      <translation>Take case %1 out of the series. A series keeps at least two cases; if the case taken out is its only solved one, the series is under investigation again.</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/window.py" line="562" />
      <source>在用</source>
      <translation>In use</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/window.py" line="562" />
      <source>已停用</source>
      <translation>Disabled</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/window.py" line="641" />
      <source>无法读取</source>
      <translation>Cannot read</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/window.py" line="138" />
      <source>%1日内重复报警（%2 处）</source>
      <translation>Repeated within %1 days (%2)</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/window.py" line="513" />
      <source>红色在管人员自动列入天网布控名单，共 %1 人；核查超期或脱控、失联 %2 人。</source>
      <translation>Red listed persons are on the camera watch list automatically: %1 persons; %2 overdue for a check, out of control or lost.</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/window.py" line="529" />
      <source>已导出 %1 人：%2</source>
      <translation>Exported %1 persons: %2</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/window.py" line="572" />
      <source>移交答复超期 %1 起，回访到期 %2 起</source>
      <translation>%1 hand-over answers overdue, %2 follow-ups due</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/window.py" line="133" />
      <source>%1日内同一地址或报警人报警 %2 次</source>
      <translation>%2 alerts from this address or caller within %1 days</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/window.py" line="373" />
      <source>%1 起（已破 %2）</source>
      <translation>%1 (%2 solved)</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/window.py" line="214" />
      <source>第%1行：%2</source>
      <translation>Line %1: %2</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/window.py" line="413" />
      <source>时间：%1 至 %2（%3天）</source>
      <translation>Dates: %1 to %2 (%3 days)</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/window.py" line="246" />
      <source>警情 %1（%2，%3）转为纠纷，来源为110警情，两条记录互相关联。</source>
      <translation>Alert %1 (%2, %3) becomes a dispute from a 110 call; the two records are linked.</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/window.py" line="408" />
      <source>案由：%1（%2/%3起）</source>
      <translation>Cause: %1 (%2 of %3)</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/window.py" line="411" />
      <source>地点：%1（%2/%3起）</source>
      <translation>Place: %1 (%2 of %3)</translation>
    </message>
    <message>
      <location filename="../../ui/workflows/window.py" line="257" />
      <source>%1“%2”%3日内报警%4次，纠纷%5登记后又报警%6次（最近%7），建议升为%8</source>
      <translation>%1 "%2" called %4 times within %3 days, %6 of them since dispute %5 was entered (latest %7): raise it to %8</translation>
    </message>
  </context>
</TS>