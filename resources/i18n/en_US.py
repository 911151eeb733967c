"""English for every Chinese source string of the UI: source → translation, or (singular, plural) for "%n"."""

TRANSLATIONS = {
    # main window, start-up, log-in, lock
    "未命名派出所": "Unnamed station",
    "%1 — 派出所情报信息分级分类跟踪系统": "%1 — Police Station Graded Tracking System",
    "演示数据库 — 数据为虚构，仅供熟悉系统使用，请勿录入真实案件和人员信息":
        "Demo database — the data is fictitious, for getting to know the system; do not enter real cases or people",
    "（首次启动已自动创建）": " (created automatically at first start)",
    "数据库：%1": "Database: %1", "当前用户：%1（%2）": "User: %1 (%2)", "文件(&F)": "&File", "刷新(&R)": "&Refresh",
    "备份与恢复(&B)…": "&Backups and restore…", "工具(&T)": "&Tools", "审计日志(&A)…": "&Audit trail…",
    "退出(&X)": "E&xit", "记录(&E)": "R&ecords", "新建记录(&N)…": "&New record…", "打开记录(&O)": "&Open record",
    "搜索(&S)": "&Search", "下一条记录": "Next record", "上一条记录": "Previous record", "我的工作(&W)…": "My &work…",
    "导出当前视图(&X)…": "E&xport current view…", "清除筛选": "Clear filters", "切换到%1": "Go to %1",
    "恢复失败": "Restore failed", "已恢复": "Restored",
    "已从备份恢复。程序将关闭，请重新启动。": "Restored from the backup. The program will close; please start it again.",
    "%1：显示 %2 条": "%1: %2 shown", "，超期 %1 条": ", %1 overdue", "（已隐藏：%1）": " (hidden: %1)",
    "首次启动：正在创建演示数据库，请稍候…": "First start: creating the demo database, please wait…",
    "无法打开数据库": "Cannot open the database", "数据库文件：": "Database file: ",
    "已创建演示数据库。演示账户 leader（所领导）、teamleader（队长）、officer（民警），密码均为 %1":
        "The demo database was created. Demo accounts leader (station leader), teamleader (team leader), "
        "officer (officer); the password of each is %1",
    "这是演示数据库。演示账户 leader（所领导）、teamleader（队长）、officer（民警）、admin（系统管理员），密码均为 %1":
        "This is the demo database. Demo accounts leader (station leader), teamleader (team leader), officer "
        "(officer), admin (administrator); the password of each is %1",
    "无法读写数据库文件：": "Cannot read or write the database file: ",
    "登录": "Log in", "派出所情报信息分级分类跟踪系统": "Police Station Graded Tracking System", "用户名": "User name",
    "密码": "Password", "用户名：": "User name:", "密码：": "Password:", "请输入用户名": "Enter the user name",
    "已锁定": "Locked", "长时间未操作，界面已锁定。请输入 %1 的密码解锁。":
        "Locked after a period of inactivity. Enter the password of %1 to unlock.",
    "解锁": "Unlock", "退出": "Exit",
    # audit, backups
    "审计日志": "Audit trail", "哈希链校验：完整": "Hash chain check: intact",
    "哈希链校验：发现 %1 处问题：": "Hash chain check: %1 problems found:", "账户": "Account", "全部模块": "All modules",
    "案件": "Cases", "矛盾纠纷": "Disputes", "重点人员": "Key persons", "等级变更": "Level changes",
    "工作记录": "Actions", "序号": "No.", "时间": "Time", "角色": "Role", "操作": "Action", "模块": "Module",
    "变更内容": "Changes", "备份与恢复": "Backups and restore", "备份位置：%1": "Backup folder: %1", "类型": "Type",
    "大小": "Size", "校验": "Check", "立即备份": "Back up now", "从所选备份恢复…": "Restore from the selected backup…",
    "只有系统管理员可以从备份恢复": "Only the administrator may restore from a backup", "完好": "Intact",
    "损坏：": "Damaged: ", "备份失败": "Backup failed", "备份完成": "Backup done", "已备份并校验：%1": "Backed up and verified: %1",
    "不能恢复": "Cannot restore", "该备份校验失败，请选择其他备份。": "This backup failed its check; choose another one.",
    "从备份恢复": "Restore from backup",
    "将用 %1 的备份替换当前数据库。当前状态会先另存为“恢复前”备份。恢复后程序将关闭，请重新启动。是否继续？":
        "The current database will be replaced by the backup of %1. The current state is first kept as a "
        "'before restore' backup. The program closes after the restore; start it again. Continue?",
    # briefing, dashboard
    "晨会简报": "Morning briefing", "每周会商研判": "Weekly review", "仅所领导可查看完整姓名和身份证号":
        "Only the station leader may see full names and ID numbers", "保存讲义": "Save handout",
    "PDF 文件 (*.pdf)": "PDF files (*.pdf)", "讲义已保存：%1": "Handout saved: %1", " 期": " periods",
    "导出图片…": "Export image…", "图表": "Chart", "周期": "Period", "显示": "Show", "件/人": "records/persons",
    "件": "records", "超期占比": "Overdue share", "天": "days", "（数据截至 %1）": " (data as of %1)", "超期": "Overdue",
    "导出图片": "Export image", "PNG 图片 (*.png)": "PNG images (*.png)",
    "指向柱形或数据点查看数值；单击查看对应记录": "Point at a bar or a point to see its value; click to see the records",
    "选择数据包": "Choose a data package", "派出所数据包 (*.stpkg)": "Station data packages (*.stpkg)",
    # ledger import
    "列映射": "Column mapping",
    "常用的列名已自动对应；其余的列请选择对应的字段，或选“不导入”。选择会按表头记住，下次自动套用。":
        "Common column names were matched automatically; for the other columns choose a field, or 'do not "
        "import'. Choices are remembered per header and applied next time.",
    "台账中的列": "Ledger column", "示例": "Example", "对应字段": "Field",
    "已套用上次为同样表头保存的映射。": "Applied the mapping saved last time for the same header.",
    "（第%1列，无标题）": "(column %1, untitled)", "不导入": "Do not import", "（请选择）": "(choose)",
    "整本台账的%1：": "%1 for the whole ledger:",
    "台账中没有这些必填列：%1。请为它们选择对应的列，或在下面为整本台账填写一个值。":
        "The ledger lacks these required columns: %1. Choose a column for each, or give one value for the whole "
        "ledger below.",
    "选择台账文件": "Choose the ledger file",
    "支持 Excel（.xlsx）和 CSV（UTF-8 或 GBK/GB18030）。表头上方的标题行、空行和合计行会自动跳过。":
        "Excel (.xlsx) and CSV (UTF-8 or GBK/GB18030). Title rows above the header, blank rows and total rows "
        "are skipped automatically.",
    "台账文件路径": "Ledger file path", "浏览…": "Browse…", "生成空白台账模板…": "Make a blank ledger template…",
    "台账文件：": "Ledger file:", "台账类型：": "Ledger type:", "台账 (*.xlsx *.csv);;所有文件 (*)":
        "Ledgers (*.xlsx *.csv);;All files (*)", "保存空白台账模板": "Save blank ledger template",
    "Excel (*.xlsx)": "Excel (*.xlsx)", "导入台账": "Import ledger", "预览": "Preview",
    "下面是每一行将得到的结果，尚未写入数据库。确认后点“导入”。":
        "Below is what each row will become; nothing is written yet. Click 'Import' to confirm.",
    "导入": "Import", "行号": "Row", "结果": "Result", "编号/姓名": "Number/name", "说明": "Note",
    "导入结果": "Import result",
    "保存为与原台账相同列的文件，改正后可再次导入": "Saved with the ledger's own columns: correct them and import again",
    "导入失败，没有写入任何记录：%1": "Import failed; nothing was written: %1",
    "已保存：%1（改正后可再次导入）": "Saved: %1 (correct and import again)",
    "工作表与表头": "Sheet and header",
    "确认表头所在的行（加粗显示）。表头以下的每一行都会被导入或说明原因。":
        "Confirm the header row (in bold). Every row below it is imported or its reason is given.",
    "工作表：": "Sheet:", "表头在第": "Header on row", "行": " ", "识别到 %1 个已知列，表头以下共 %2 行。":
        "%1 known columns found; %2 rows below the header.", "值映射": "Value mapping",
    "这些值系统不认识（例如 高/中/低、已调解）。请指定各自的含义；不指定的值所在的行不会导入，并在报告中说明。":
        "The system does not know these values (e.g. high/medium/low, mediated). Say what each means; rows with a "
        "value left unmapped are not imported and are listed in the report.",
    "字段": "Field", "台账中的值": "Value in the ledger", "行数": "Rows", "对应为": "Means",
    "所有值都能识别，无需映射。": "Every value is known; nothing to map.", "共 %1 个值需要指定。": "%1 values to map.",
    "（不指定：该行不导入）": "(unmapped: the row is not imported)",
    # ledger import: several sheets, officers, history
    "常用的列名已自动对应；其余的列请选择对应的字段，或选“不导入”。选择按本所、按表头记住，下次自动套用。":
        "Common column names were matched automatically; for the other columns choose a field, or 'do not "
        "import'. Choices are remembered for this station and this header, and applied next time.",
    "已办结、已转案的行没有%1时，按此日期（如台账截止日期）：":
        "Closed or converted rows without a %1 take this date (e.g. the ledger's cut-off day):",
    "转案件的行新建案件时的%1：": "%1 of the case made for a row converted to a case:",
    "工作表“%1”（%2台账）": "Sheet '%1' (%2 ledger)",
    "民警对应": "Officers",
    "台账中这些民警的写法不在本所民警名单中（如“陈警官”、警号、错别字）。请指定对应的民警、添加到名单，或不导入这些行。选择按本所记住。":
        "The ledger writes these officers in ways the station's roster does not know (\"Officer Chen\", a badge "
        "number, a typo). Say who each is, add them to the roster, or leave their rows out. Choices are "
        "remembered for this station.",
    "台账中的写法": "As the ledger writes it", "处理": "Action",
    "台账中的民警都在名单中，无需指定。": "Every officer in the ledger is on the roster; nothing to choose.",
    "共 %1 种写法需要指定。": "%1 spellings to resolve.", "不导入这些行": "Do not import these rows",
    "对应为：%1": "Is: %1", "添加到名单：%1": "Add to the roster: %1", "映射未能保存：%1": "The mapping was not saved: %1",
    "工作簿中的工作表（勾选的将一并导入，各自确认映射，在同一次导入中写入）：":
        "Sheets of the workbook (ticked ones are imported too, each with its own mapping, in the same import):",
    "一并导入": "Import too", "工作表": "Sheet", "识别为": "Looks like", "表头行": "Header row", "数据行数": "Data rows",
    "不是台账（不导入）": "Not a ledger (not imported)",
    "识别为%3台账：%1 个已知列，表头以下共 %2 行。": "A %3 ledger: %1 known columns found; %2 rows below the header.",
    "这些值系统不认识（例如 高/中/低）。请指定各自的含义；不指定的值所在的行不会导入，并在报告中说明。":
        "The system does not know these values (e.g. high/medium/low). Say what each means; rows with a value left "
        "unmapped are not imported and are listed in the report.",
    "重点领域不在系统列表中的（%1）不指定时记为“其他”，原文保留在简要情况中。":
        "Focus areas the system has no entry for (%1) are recorded as 'Other' unless mapped, their words kept in "
        "the summary.",
    "（保留原文，记为“其他”）": "(keep the words, record as 'Other')",
    # table columns
    "等级": "Level", "案件编号": "Case no.", "类别": "Kind", "案由": "Cause", "发案地点": "Place",
    "受案日期": "Accepted", "纠纷编号": "Dispute no.", "纠纷类别": "Category", "重点领域": "Focus area",
    "当事人": "Parties", "社区": "Community", "发现日期": "Found", "姓名": "Name", "身份证号": "ID number",
    "人员类别": "Risk categories", "列管日期": "Listed", "状态": "Status", "责任民警": "Officer", "所属队组": "Team",
    "队长": "Team leader", "包案所领导": "Station leader", "下次跟进": "Next follow-up", "简要情况": "Summary",
    "已超期 %n 天": ("overdue by %n day", "overdue by %n days"),
    # table view
    "共 %n 条": ("%n record", "%n records"), "%n 起": ("%n record", "%n records"), "%n 人": ("%n person", "%n persons"),
    "显示中，点击隐藏{0}记录": "Shown; click to hide {0} records", "已隐藏，点击显示{0}记录": "Hidden; click to show {0} records",
    "搜索：编号、姓名或拼音首字母、地点、社区…": "Search: number, name or its pinyin initials, place, community…",
    "只看超期": "Overdue only", "，其中超期 %n 条": (", %n overdue", ", %n overdue"), "全部类别": "All categories",
    "全部责任人": "Anyone responsible", "全部队组": "All teams", "在办和已办结": "Active and closed",
    "全部（含已转案件、已作废）": "All (incl. converted and voided)", "不限": "Any",
    "导出当前视图": "Export current view", "Excel 工作簿 (*.xlsx);;CSV 文件 (*.csv)":
        "Excel workbook (*.xlsx);;CSV file (*.csv)",
    "台账格式，与台账模板相同的列，可再导入 (*.xlsx)":
        "Ledger layout, the ledger template's columns, imports again (*.xlsx)", "打开": "Open", "显示的列": "Columns shown", "新建": "New",
    "改派": "Reassign", "批量变更等级": "Change level", "导出…": "Export…", "未选择记录": "No records selected",
    "请先在表格中选择记录（可按住 Ctrl 或 Shift 多选）。": "Select records in the table first (Ctrl or Shift selects several).",
    "导出": "Export", "只导出选中的 %n 条记录吗？（否：导出当前筛选下的全部记录）":
        ("Export only the %n selected record? (No: export every record of the current filter)",
         "Export only the %n selected records? (No: export every record of the current filter)"),
    "导出失败": "Export failed",
    # undo
    "撤销": "Undo", "重做": "Redo", "修改“%1”": "edit '%1'",
    # forms
    "放弃修改": "Discard changes", "表单中有未保存的修改，确定放弃吗？": "The form has unsaved changes. Discard them?",
    "变更预警等级": "Change warning level", "办结情况": "Case conclusion", "调解结果": "Mediation outcome",
    "撤销列管评估意见": "De-listing assessment", "登记工作": "Log action",
    "YYYY-MM-DD，留空按等级周期自动计算": "YYYY-MM-DD; empty: from the level's cadence",
    "纠纷转为案件": "Dispute → case", "登记": "Registered",
    "选填：当事人身份证号，多个用逗号分隔（用于比对重点人员）":
        "Optional: parties' ID numbers, comma-separated (checked against key persons)",
    "当前等级": "Current level", "新等级": "New level", "变更理由 *": "Reason *", "变更理由": "Reason",
    "工作类型": "Kind of work", "工作内容 *": "What was done *", "工作结果": "Outcome", "工作日期": "Date",
    "下次跟进日期": "Next follow-up", "工作内容": "What was done", "案件编号 *": "Case no. *", "案件类别": "Case kind",
    "案件等级": "Case level", "转案理由 *": "Reason for conversion *", "转案理由": "Reason for conversion",
    "新的责任民警": "New responsible officer", "18位，末位可为X": "18 characters; the last may be X",
    "11位手机号": "11-digit mobile number", "新建%1": "New: %1", "修改%1": "Edit: %1", "登记理由": "Reason for registering",
    "当事人身份证号": "Parties' ID numbers", "改派责任民警（%1 条）": "Reassign officer (%1 records)",
    "批量变更预警等级（%1 条）": "Change level of %1 records", "无": "None",
    # my work
    "在办": "Active", "今日到期": "Due today", "我的工作": "My work", "记录": "Record",
    "%1（%2）负责的在办记录": "Active records %1 (%2) answers for",
    "在办 %1 条，已超期 %2 条，今日到期 %3 条": "%1 active, %2 overdue, %3 due today",
    # record view
    "是": "Yes", "否": "No", "基本信息": "Details", "处置经过": "Timeline", "关联记录": "Linked records",
    "一人一策": "Control plan", "一人一专班": "Dedicated team", "后退": "Back", "前进": "Forward", "修改": "Edit",
    "变更等级": "Change level", "转为案件": "Convert to case", "撤销列管": "De-list", "作废": "Void", "事项": "Event",
    "经办人": "By", "内容": "Content", "双击打开": "Double-click to open",
    "撤销列管须由所领导审批": "De-listing needs the station leader",
    "下次跟进：无（已办结或不需跟进）": "Next follow-up: none (closed or not needed)", "下次跟进：—": "Next follow-up: —",
    "（尚未制定管控方案）": "(no control plan yet)", "（尚未组建专班）": "(no dedicated team yet)",
    "关联记录（%1）": "Linked records (%1)", "下次跟进：%1": "Next follow-up: %1", "作废理由：%1": "Voided: %1",
    "登记（%1）": "Registered (%1)",
    "包案所领导：%1\u3000队长：%2\u3000责任民警：%3": "Station leader: %1   Team leader: %2   Officer: %3",
    "下次跟进：%1（已超期 %2 天）": "Next follow-up: %1 (overdue by %2 days)", "等级 %1→%2": "Level %1→%2",
    # suggestions
    "身份证号相同": "same ID number", "姓名和出生日期相同": "same name and birth date", "关联提示": "Related records",
    "新登记的记录与在册信息有关联，请逐条确认：": "The new record matches records on file; answer each:",
    "忽略": "Dismiss", "关联": "Link", "【已采纳】": "[accepted]", "【已忽略】": "[dismissed]",
    "当事人%1是在册重点人员（%2，%3）": "Party %1 is a key person on file (%2, %3)",
    "%1 已于 %2 报警（纠纷 %3），%4 日内再次报警，建议升为%5":
        "%1 called 110 on %2 (dispute %3) and again within %4 days: raise to %5?",
    # workstation
    "记录详情": "Record", "界面语言(&L)": "&Language", "界面语言": "Language",
    "界面语言将在重新启动程序后生效。": "The language changes when the program is started again.", "撤销列管评估意见（必填）：": "De-listing assessment (required):", "作废记录": "Void record",
    "作废理由（必填）：": "Reason for voiding (required):", "无法打开记录": "Cannot open the record",
    "经评估无现实危险或符合撤销列管条件的，由所领导审批撤销列管；记录保留，等级转为绿色。":
        "A person assessed as no present danger, or meeting the conditions, is de-listed with the station "
        "leader's approval; the file stays and turns green.",
    "作废用于纠正录入错误：记录不会删除，作废后不再计入任何在办清单和统计。":
        "Voiding corrects a wrong entry: the record is not deleted, and leaves every active list and count.",
    # export packages, branch console, briefing and statistics menus
    '刷新失败：%1': 'Refresh failed: %1',
    '导出数据包（报送分局）': 'Export a package (to the branch office)',
    '分局：%1（公钥指纹 %2）': 'Branch office: %1 (key fingerprint %2)',
    '尚未登记分局公钥：请先用命令 export --branch-key 登记': 'No branch office key registered yet: register it first with the command export --branch-key',
    '完整数据包（不只是变更）': 'Full package (not only the changes)',
    '强制导出（忽略阻止导出的问题）': 'Force the export (ignore the problems that block it)',
    '选择文件夹…': 'Choose folder…',
    '保存到：': 'Save to:',
    '数据质量检查：': 'Data-quality check:',
    '只有所领导或系统管理员可以导出数据包': 'Only the station leader or the administrator may export packages',
    '未发现问题': 'No problems found',
    '阻止导出': 'Blocks the export',
    '警告': 'Warning',
    '选择保存数据包的文件夹': 'Choose the folder for the package',
    '正在导出…': 'Exporting…',
    '导出失败：': 'Export failed: ',
    '完整数据包': 'full package',
    '增量数据包': 'delta package',
    '已导出%1：%2（序号 %3，%4 条变更），已读回校验。': 'Exported the %1: %2 (sequence %3, %4 changes), read back and verified.',
    '导入数据包…': 'Import packages…',
    '刷新': 'Refresh',
    '（已覆盖）': ' (superseded)',
    '拒绝 %1：%2': 'Rejected %1: %2',
    '导入台账(&I)…': '&Import ledger…',
    '导出数据包（报送分局）(&E)…': '&Export package (to the branch office)…',
    '统计分析(&S)': '&Statistics',
    '晨会简报(&M)': '&Morning briefing',
    '每周会商研判(&W)': '&Weekly consultation',
    '统计分析': 'Statistics',
    '无法打开晨会简报': 'Cannot open the briefing',
    '各所数据': 'Stations',
    '清除图表筛选': 'Clear the chart filter',
    '图表筛选：': 'Chart filter: ',
    # the report dialog
    '报表(&P)…': '&Reports…',
    '报表': 'Reports',
    '日：2025-05-15；周：2025-W19；月：2025-05；季：2025-Q2': 'Day: 2025-05-15; week: 2025-W19; month: 2025-05; quarter: 2025-Q2',
    'Excel (.xlsx)': 'Excel (.xlsx)',
    'PDF (A4)': 'PDF (A4)',
    '报表：': 'Report:',
    '统计期间：': 'Period:',
    '格式：': 'Format:',
    '保存为：': 'Save as:',
    '生成': 'Generate',
    '保存报表': 'Save the report',
    '无法写入文件：': 'Cannot write the file: ',
    '已生成：%1': 'Written: %1',
    # the branch console
    '派出所': 'Station',
    '全部派出所': 'All stations',
    # long work in the background
    '正在处理…': 'Working…',
    '操作失败': 'Failed',
    '正在生成…': 'Generating…',
    '正在生成报表…': 'Generating the report…',
    '正在导出数据包…': 'Exporting the package…',
    '正在预览…': 'Previewing…',
    '正在预览台账…': 'Previewing the ledger…',
    '正在导入…': 'Importing…',
    '正在导入台账…': 'Importing the ledger…',
    '取消': 'Cancel',
    # the dedicated team and the follow-up visit
    '回访满意度 *': 'Satisfaction *',
    '回访满意度': 'Satisfaction',
    '加入专班': 'Add to the team',
    '加入专班…': 'Add to team…',
    '移出专班': 'Remove from team',
    '如：每周走访、联系监护人、社区网格员对接': 'e.g. weekly visit, keep in touch with the guardian, liaise with the grid worker',
    '专班成员': 'Team member',
    '专班成员 *': 'Team member *',
    '分工': 'Duty',
    '所有民警都已在专班中': 'Every officer is already on the team',
    '确定将 %1 移出专班吗？': 'Remove %1 from the dedicated team?',
    '无法移出专班': 'Cannot remove from the team',
    'PostgreSQL数据库由服务器备份（pg_dump）': 'A PostgreSQL database is backed up by its server (pg_dump)',
    '数据库：': 'Database: ',
    # station set-up and administration (系统管理), own password, help
    " 分钟": " min", " 天": " days", "%1 调至：": "Move %1 to:",
    "%1 负责的 %2 条在办记录将移交给接手人，每次移交都记入审计日志；其账户将停用。":
        "The %2 open records %1 is responsible for go to successors, each move in the audit trail; "
        "their account is disabled.",
    "%1记录跟进周期：": "Follow-up of %1 records:", "12位数字": "12 digits",
    "<h3>%1 系统账户</h3><p>姓名：%2</p><p>用户名：%3</p><p>初始密码：<b>%4</b></p><p>首次登录后须修改密码；本条阅后请销毁。</p>":
        "<h3>%1 account</h3><p>Name: %2</p><p>User name: %3</p><p>One-time password: <b>%4</b></p>"
        "<p>Change the password at the first log-in; destroy this slip after reading.</p>",
    "<h3>派出所情报信息分级分类跟踪系统</h3><p>版本 %1</p><p>派出所：%2</p><p>数据库文件：%3</p>":
        "<h3>Police Station Graded Tracking System</h3><p>Version %1</p><p>Station: %2</p><p>Database file: %3</p>",
    "两次输入的新密码不一致": "The two new passwords differ", "人员离岗：%1": "%1 leaves",
    "从未登录": "Never", "保存": "Save", "修改密码": "Change password", "修改密码(&P)…": "Change &password…",
    "修改账户 %1 的密码。": "Change the password of %1.", "停用": "Disable", "停用账户": "Disable account",
    "停用账户 %1？它将不能登录，其数据库密钥随即删除；再次启用时须设新密码。":
        "Disable the account %1? It can no longer log in and its database key is removed; enabling it again "
        "needs a new password.",
    "全部移交给：": "Hand everything to:", "关于": "About", "关于(&A)…": "&About…",
    "再次输入新密码：": "New password again:", "初始密码": "One-time password", "初始密码：": "One-time password:",
    "原密码：": "Current password:", "启用": "Enable", "在用": "In use", "备份文件夹": "Backup folder",
    "备份文件夹：": "Backup folder:", "如 民警、中队长、所长": "e.g. 民警, 中队长, 所长", "姓名：": "Name:",
    "导入民警花名册": "Import the roster", "导入花名册…": "Import roster…", "已停用": "Disabled",
    "已撤销": "Retired", "帮助(&H)": "&Help", "所属分局：": "Branch office:", "所领导": "Station leader",
    "手机：": "Mobile:", "打印密码条…": "Print slip…", "打开派出所数据库": "Open a station database",
    "打开派出所数据库(&O)…": "&Open station database…", "找不到用户指南文件：%1": "User guide not found: %1",
    "撤销队组": "Retire team", "撤销队组“%1”？其记录保留原队组名称。":
        "Retire the team %1? Its records keep the team's name.",
    "改名…": "Rename…", "数据库旁的 backups 文件夹": "the backups folder beside the database",
    "新名称：": "New name:", "新密码（至少8位）：": "New password (8 or more):", "新建账户": "New account",
    "新建账户…": "New account…", "新建队组": "New team", "新建队组…": "New team…",
    "无操作自动锁定：": "Lock when idle for:", "未保存": "Not saved", "未完成": "Not done",
    "本所人员": "A person of the station", "机构代码：": "Organisation code:",
    "注销 / 切换用户(&L)": "&Log out / switch user", "派出所信息": "Station", "派出所名称：": "Station name:",
    "派出所数据库 (*.db);;所有文件 (*)": "Station databases (*.db);;All files (*)", "添加人员": "Add a person",
    "添加人员…": "Add person…", "用户指南": "User guide", "用户指南(&U)": "&User guide", "离岗…": "Leaves…",
    "系统管理": "Administration", "系统管理(&G)…": "Administration…",
    "系统管理员或分局研判员": "Administrator or branch analyst", "系统设置": "Settings", "职务：": "Duty title:",
    "职责：": "Role:", "自动生成初始密码": "Generate the one-time password",
    "花名册 (*.xlsx *.csv)": "Roster (*.xlsx *.csv)", "花名册导入结果": "Roster import", "警号：": "Badge no.:",
    "调整队组": "Move to team", "调整队组…": "Move to team…", "账户 %1 已可登录。": "The account %1 can log in again.",
    "账户 %1（%2）的初始密码如下。它只显示这一次：请打印密码条或抄下后交给本人，本人首次登录时须修改。":
        "The one-time password of %1 (%2), shown this once: print the slip or write it down for them; they "
        "change it at the first log-in.",
    "辅警": "Assisting staff", "辅警（协助工作，不能担任责任民警）":
        "Assisting staff (辅警: helps, never the responsible officer)",
    "这是管理员设置的初始密码，请设置您自己的密码后再开始工作。":
        "This is the one-time password the administrator set: choose your own before you start.",
    "选择…": "Choose…", "重置密码": "Reset password", "队组名称：": "Team name:",
    "队组改名": "Rename team", "队组：": "Team:", "须先设置自己的密码才能使用系统": "Choose your own password first",
    "（不属于队组）": "(no team)", "（同上）": "(as above)", "（逐条指定）": "(record by record)",
    "，待修改初始密码": ", one-time password", "，锁定至%1": ", locked until %1",
    "在岗人数": "People", "手机": "Mobile", "最近登录": "Last log-in", "职务": "Duty title", "职责": "Role",
    "警号": "Badge no.",
    "队组管理": "Teams", "人员管理": "People", "账户管理": "Accounts",
    "离岗（移交在办记录）…": "Leaves (hand over records)…",
    "两次输入的密码不一致": "The two passwords differ",
    "为每位需要登录的人员建立账户。初始密码只显示一次，可打印密码条；本人首次登录时须修改。":
        "Make an account for everyone who logs in. The one-time password is shown once and can be printed "
        "on a slip; its owner changes it at the first log-in.",
    "再次输入密码：": "Password again:", "打开已有的派出所数据库…": "Open an existing station database…",
    "新的派出所数据库": "New station database", "无法创建数据库文件：": "Cannot create the database file: ",
    "欢迎使用": "Welcome",
    "每行一个队组，如“社区警务一队”。也可在下一步导入民警花名册，其中的队组会自动建立。":
        "One team a line, e.g. 社区警务一队. You can also import the roster in the next step; its teams are "
        "created.",
    "派出所数据库 (*.db)": "Station databases (*.db)", "第一次使用本程序。请选择：": "First start. Choose:",
    "第一步：派出所与管理员": "Step 1: station and administrator", "第二步：队组": "Step 2: teams",
    "第三步：人员": "Step 3: people", "第四步：账户": "Step 4: accounts",
    "管理员密码（至少8位）：": "Administrator password (8 or more):", "管理员用户名：": "Administrator user name:",
    "设置本派出所": "Set up this station",
    "试用演示派出所\n（虚构数据，熟悉系统用）": "Try the demo station\n(fictitious data, to get to know the program)",
    "设置本派出所\n（新建正式数据库：派出所、队组、人员、账户）":
        "Set up this station\n(a new, real database: station, teams, people, accounts)",
    "这些信息写入新的派出所数据库。管理员账户用于设置队组、人员和账户，不办理业务。":
        "This goes into the new station database. The administrator sets up teams, people and accounts and "
        "does no police work.",
    "逐个添加，或“导入花名册”（姓名、警号、所属中队/部门、职务、手机）。职务决定职责：所长/教导员/副所长为所领导，"
    "中队长/队长/警长为队长，民警为民警，辅警为辅助人员。":
        "Add people one by one, or import the roster (姓名, 警号, 所属中队/部门, 职务, 手机). The duty title gives "
        "the role: 所长/教导员/副所长 station leader, 中队长/队长/警长 team leader, 民警 officer, 辅警 assisting staff.",
    "正常": "Active",
    "跟进周期：": "Follow-up every:",
    "第%1行 %2：%3": "Row %1 %2: %3", "保存未导入的行…": "Save the rejected rows…",
    "保存未导入的行": "Save the rejected rows", "Excel (*.xlsx);;CSV (*.csv)": "Excel (*.xlsx);;CSV (*.csv)",
    # solving a criminal case (破案)
    '登记破案': 'Mark solved',
    '破案日期': 'Solved on',
    '破案日期 *': 'Solved on *',
    '破案情况': 'How it was solved',
    '破案情况 *': 'How it was solved *',
    '本次变更即破案（抓获犯罪嫌疑人、案件告破）': 'This change solves the case (suspect caught, case solved)',
    '破案日期计入“破刑事案件”和“破案率”；预警等级不变，如需转为黄色或绿色请使用“变更等级”。':
        'The solved date counts in "criminal cases solved" and the solve rate; the level stays as it is: '
        'use "Change level" to move the case to yellow or green.',
    # what the rates are made of
    '排查 %1 起，化解 %2 起': '%1 found, %2 resolved',
    '往期化解 %1 起': '%1 earlier resolved',
    '回访 %1 起，满意 %2 起': '%1 visits, %2 satisfied',
    '案件类型': 'Case type',
    '在办和已化解': 'Active and resolved',
    '在管和撤销列管': 'Listed and de-listed',
    '11位手机号，或固定电话如 0791-86123456': '11-digit mobile, or a landline such as 0791-86123456',
    '刑事、行政案件受案': 'Cases accepted, criminal and administrative',
    '各案别受案': 'Cases accepted by category',
    '各类矛盾纠纷排查发现': 'Disputes found by category',
    '各重点领域矛盾纠纷排查发现': 'Disputes found by focus area',
    '本年 %1': 'YTD %1',
    # polish (issue 17): why a control is disabled, …
    "未登录": "Not logged in", "该记录已作废或已转为案件": "This record is voided or converted to a case",
    "该记录已不在办": "This record is no longer active",
    "请先在专班名单中选择一名成员": "Select a member in the dedicated team first",
    "混合：%1": "Mixed: %1",
    "未填": "Not set", "%1不能为空": "%1 is required", "请修改以下 %1 处：": "Please correct these %1 fields:",
    "如 2025-03-08 或 2025年3月8日；留空按等级周期自动计算":
        "e.g. 2025-03-08; leave empty to use the level's follow-up cadence",
    "已保存": "Saved", "已新建%1：%2": "Created %1: %2", "已保存%1的修改：%2": "Saved the changes to %1: %2",
    "%1：等级已变更为%2": "%1: level changed to %2", "已将 %1 条记录的等级变更为%2": "Changed %1 records to %2",
    "已登记工作：%1": "Action logged: %1", "已将 %1 条记录改派给%2": "Reassigned %1 records to %2",
    "未分队": "No team", "请选择责任民警": "Choose the responsible officer", "请选择专班成员": "Choose a team member",
    "%1（另计，期末 %2）": "%1 (apart, %2 at period end)", "（截至 %1）": " (to %1)", "人": "persons",
    "统计分析：%1": "Statistics: %1", "%1：%2": "%1: %2", "%1　%2 至 %3": "%1   %2 to %3",
    "没有找到与“%1”相符的%2记录": "No %2 match \"%1\"", "当前筛选条件下没有%1记录": "No %1 under the current filters",
    "可换个搜索词，或点击“清除筛选”（Ctrl+Shift+L）查看全部记录":
        "Try another word, or Clear filters (Ctrl+Shift+L) to see every record",
    "还没有%1记录": "No %1 yet",
    "点击“新建”（Ctrl+N）登记第一条，或从“文件”菜单导入台账":
        "Click New (Ctrl+N) to enter the first one, or import a ledger from the File menu",
    "“%1”= %2": "\"%1\" = %2",
    "拼音匹配：%1（显示文字相符的记录，以及这些民警任责任民警、队长或包案所领导的记录）":
        "Pinyin: %1 (records whose text matches, and records where these officers are the responsible officer, "
        "team leader or station leader)",
    "登记分局公钥…": "Register the branch key…", "更换分局公钥…": "Change the branch key…",
    "尚未登记分局公钥。请向分局索取公钥文件（branch.pub），点击“登记分局公钥…”选择它，并与分局核对显示的指纹。":
        "No branch key registered yet. Ask the branch office for its key file (branch.pub), click "
        "Register the branch key… to choose it, and check the fingerprint shown with the branch office.",
    "无法登记分局公钥：": "Cannot register the branch key: ",
    "已登记分局公钥，请与分局核对指纹：%1": "Branch key registered; check this fingerprint with the branch office: %1",
    "选择分局公钥文件": "Choose the branch key file", "分局公钥 (*.pub);;所有文件 (*)": "Branch key (*.pub);;All files (*)",
    "还没有备份。程序每天启动后会自动备份一次；也可以点击“立即备份”。":
        "No backups yet. The program backs up once a day after it starts; you can also click Back up now.",
    "还没有可恢复的备份": "No backup to restore yet", "变更等级…": "Change level…", "登记工作…": "Log action…",
    "各等级数量走势（期末）": "Records by level (period end)", "新增与办结": "New and closed",
    "破刑事案件与去年同期": "Criminal cases solved vs a year earlier", "矛盾纠纷排查发现与化解": "Disputes found and resolved",
    "重点人员各等级（期末）": "Key persons by level (period end)", "超期占比（期末）": "Overdue share (period end)",
    "录入至办结平均天数": "Average days from entry to closing", "按日": "By day", "按周": "By week", "按月": "By month",
    "按季度": "By quarter", "按年": "By year",
    "每日晨会调度简报": "Morning meeting briefing", "每周会商研判报告": "Weekly consultation report",
    "月度统计报表": "Monthly statistics", "责任落实情况表": "Accountability table", "红色预警记录清单": "Red-level records",
    "分类统计表": "Breakdown tables",
    # the briefing (morning meeting and weekly consultation)
    "今天": "Today", "明天": "Tomorrow", "概览：三类记录的预警等级": "Overview by level",
    "主要指标：同比 / 环比": "Key figures: YoY / MoM",
    "自上次晨会以来": "Since the last morning meeting", "自上次会商以来": "Since the last consultation",
    "上次晨会": "last morning meeting", "上次会商": "last consultation",
    "新增与升级（红色在前）": "New and raised (red first)", "新增": "New", "队组": "Team",
    "在办记录超过下次跟进日期仍未跟进，按队组": "Active records past their follow-up date, by team",
    "超期最久": "Longest overdue", "起": "disputes", "在管重点人员": "Listed persons",
    "数据截至 %1": "Data as of %1", "实名显示中（已记入审计）": "Real names shown (recorded in the audit trail)",
    "人员姓名、身份证号已遮挡": "Names and ID numbers masked", "变化": "Change", "纠纷": "Disputes",
    "人员": "Persons", "合计": "Total", "新增中红色 %1 条": "%1 of the new are red",
    "超期未跟进（共 %1 条）": "Overdue follow-ups (%1 in all)", "没有超期未跟进的记录": "No overdue follow-ups",
    "未分队组": "No team", "趋势：近 %1 周各等级在办数": "Trend by level, last %1 weeks",
    "破刑事案件": "Crimes solved", "查处行政案件": "Admin. cases",
    "排查发现纠纷": "Disputes found", "化解纠纷": "Disputes resolved", "纠纷化解率": "Resolution rate",
    "群众回访满意率": "Satisfaction", "%1月%2日": "%1/%2", "上一周": "Last week",
    "另有 %1 条，见系统": "%1 more in the system", "其他队组": "Other teams",
    "每%1 24 时的在办数，最后一格为今天截至现在；每格按自身最大值绘制":
        "Active at midnight each %1; the last column is today so far; each scaled to its own maximum",
    "下次刷新 %1": "Next refresh %1", "地点": "Place", "领域": "Area",
    "目前没有红色预警的%1": "No red-level %1 at present", "超期%1天": "%1 days overdue",
    "环比 %1": "MoM %1", "上月同期 %1": "Last month %1", "同比 %1": "YoY %1",
    "去年同期 %1": "Last year %1", "第 %1 / %2 页": "Page %1 / %2", "在办 %1 %2": "Active %1%2",
    "超期 %1 %2": "Overdue %1%2", "升级 %1→%2": "Raised %1→%2", "较%1周前 %2": "%2 in %1 weeks",
    "本月 %1–%2，与上月同期（环比）、去年同期（同比）相比":
        "This month %1–%2, compared with the same days last month (MoM) and last year (YoY)",
    "本年累计 %1": "Year to date %1", "其中红色 %1 人": "%1 of them red",
    "红色预警 · %1（%2 %3）": "Red level · %1 (%2%3)", "另有 %1 %2未列出，见系统": "%1 more%2 not listed, see the system",
    "从 %1（%2）到现在 %3": "From %1 (%2) to now %3",
    "累计办结": "Concluded to date", "累计化解": "Resolved to date", "已撤销列管": "De-listed", "升级": "Raised",
    "降级": "Lowered", "办结/化解/撤管": "Closed", "纠纷转案件": "Dispute to case",
}
