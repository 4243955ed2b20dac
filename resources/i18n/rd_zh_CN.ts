<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AdminLogTab</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="41"/>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="42"/>
        <source>Return policy</source>
        <translation>退货政策</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="43"/>
        <source>Policy draft</source>
        <translation>政策草稿</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="44"/>
        <source>Return reason</source>
        <translation>退货原因</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="45"/>
        <source>Site</source>
        <translation>门店</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="46"/>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="166"/>
        <source>Station</source>
        <translation>工位</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="47"/>
        <source>API key</source>
        <translation>API 密钥</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="48"/>
        <source>Webhook</source>
        <translation>Webhook 接收方</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="51"/>
        <source>created</source>
        <translation>已创建</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="52"/>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="61"/>
        <source>changed</source>
        <translation>已修改</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="53"/>
        <source>unlocked</source>
        <translation>已解锁</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="54"/>
        <source>locked after failed sign-ins</source>
        <translation>多次登录失败后锁定</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="55"/>
        <source>password changed</source>
        <translation>密码已修改</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="56"/>
        <source>published</source>
        <translation>已发布</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="57"/>
        <source>withdrawn</source>
        <translation>已撤回</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="58"/>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="63"/>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="65"/>
        <source>saved</source>
        <translation>已保存</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="59"/>
        <source>discarded</source>
        <translation>已丢弃</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="60"/>
        <source>added</source>
        <translation>已添加</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="62"/>
        <source>retired</source>
        <translation>已停用</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="64"/>
        <source>moved to another site</source>
        <translation>移至其他门店</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="66"/>
        <source>printers saved</source>
        <translation>打印机已保存</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="67"/>
        <source>company details saved</source>
        <translation>公司信息已保存</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="72"/>
        <source>role</source>
        <translation>角色</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="73"/>
        <source>active</source>
        <translation>启用</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="74"/>
        <source>approval limit</source>
        <translation>审批限额</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="75"/>
        <source>display name</source>
        <translation>显示名称</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="76"/>
        <source>name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="77"/>
        <source>kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="78"/>
        <source>time zone</source>
        <translation>时区</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="79"/>
        <source>return address</source>
        <translation>退货地址</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="80"/>
        <source>site</source>
        <translation>门店</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="81"/>
        <source>English name</source>
        <translation>英文名称</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="82"/>
        <source>Chinese name</source>
        <translation>中文名称</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="83"/>
        <source>vendor fault</source>
        <translation>供应商责任</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="84"/>
        <source>allowed resolutions</source>
        <translation>允许的处理方式</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="85"/>
        <source>order</source>
        <translation>排序</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="86"/>
        <source>version</source>
        <translation>版本</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="87"/>
        <source>rules</source>
        <translation>规则</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="88"/>
        <source>in effect from</source>
        <translation>生效时间</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="89"/>
        <source>locked until</source>
        <translation>锁定至</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="90"/>
        <source>scopes</source>
        <translation>权限范围</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="91"/>
        <source>event types</source>
        <translation>事件类型</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="92"/>
        <source>address</source>
        <translation>地址</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="109"/>
        <source>yes</source>
        <extracomment>Longest value shown in the changes column (the whole text is in the cell&apos;s tooltip).</extracomment>
        <translation>是</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="110"/>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="159"/>
        <source>Everything</source>
        <translation>全部</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="164"/>
        <source>User name, code or version (Enter)</source>
        <translation>用户名、代码或版本号（回车）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="165"/>
        <source>Load &amp;more</source>
        <translation>加载更多(&amp;M)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="166"/>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="166"/>
        <source>Who</source>
        <translation>操作人</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="166"/>
        <source>What</source>
        <translation>对象类型</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="167"/>
        <source>Which</source>
        <translation>对象</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="167"/>
        <source>Done</source>
        <translation>操作</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="167"/>
        <source>Changes</source>
        <translation>变更内容</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="201"/>
        <source>(command line)</source>
        <translation>（命令行）</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="207"/>
        <source>%n change(s) shown.</source>
        <translation>
            <numerusform>已显示 %n 条变更。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>AdminScreen</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/screen.py" line="70"/>
        <source>Administration</source>
        <translation>系统管理</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/screen.py" line="71"/>
        <source>&amp;Users</source>
        <translation>用户(&amp;U)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/screen.py" line="71"/>
        <source>S&amp;tations</source>
        <translation>工位(&amp;T)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/screen.py" line="71"/>
        <source>&amp;Sites</source>
        <translation>门店(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/screen.py" line="72"/>
        <source>Return &amp;policy</source>
        <translation>退货政策(&amp;P)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/screen.py" line="72"/>
        <source>&amp;Reasons</source>
        <translation>退货原因(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/screen.py" line="72"/>
        <source>Admin &amp;log</source>
        <translation>管理日志(&amp;L)</translation>
    </message>
</context>
<context>
    <name>Amounts</name>
    <message>
        <location filename="../../desktop/returndesk/ui/widgets/tables.py" line="101"/>
        <source>Enter the {what}.</source>
        <translation>请输入{what}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/widgets/tables.py" line="105"/>
        <source>“{text}” is not an amount; write the {what} like 150 or 1234.50.</source>
        <translation>“{text}”不是金额；{what}请写成 150 或 1234.50 这样的格式。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/widgets/tables.py" line="110"/>
        <source>The {what} cannot be negative.</source>
        <translation>{what}不能为负数。</translation>
    </message>
</context>
<context>
    <name>AnalyticsScreen</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="373"/>
        <source>Analytics</source>
        <translation>数据分析</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="374"/>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="775"/>
        <source>From</source>
        <translation>从</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="375"/>
        <source>to</source>
        <translation>至</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="376"/>
        <source>All sites</source>
        <translation>全部门店/仓库</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="377"/>
        <source>Site code; days are counted in its time zone</source>
        <translation>门店/仓库代码；日期按其时区计算</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="378"/>
        <source>All stations</source>
        <translation>全部工位</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="379"/>
        <source>&amp;Show</source>
        <translation>显示(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="380"/>
        <source>Reasons</source>
        <translation>退货原因</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="380"/>
        <source>Return rates</source>
        <translation>退货率</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="381"/>
        <source>Cycle times</source>
        <translation>处理时长</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="381"/>
        <source>Money</source>
        <translation>金额</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="381"/>
        <source>Cycle-time trend</source>
        <translation>处理时长趋势</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="382"/>
        <source>Stage targets…</source>
        <translation>各阶段目标…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="383"/>
        <source>Set how long a return may wait in each stage</source>
        <translation>设置退货单在各阶段最多可等待多久</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="384"/>
        <source>Waiting longest…</source>
        <translation>等待最久…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="385"/>
        <source>Open the returns waiting longest in their stage</source>
        <translation>打开在当前阶段等待最久的退货单</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="386"/>
        <source>By week</source>
        <translation>按周</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="386"/>
        <source>By day</source>
        <translation>按天</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="391"/>
        <source>By product</source>
        <translation>按商品</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="391"/>
        <source>By category</source>
        <translation>按品类</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="392"/>
        <source>By supplier</source>
        <translation>按供应商</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="392"/>
        <source>By channel</source>
        <translation>按渠道</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="396"/>
        <source>Save chart…</source>
        <translation>保存图表…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="397"/>
        <source>Save the chart as a PNG picture</source>
        <translation>将图表保存为 PNG 图片</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="398"/>
        <source>Save figures…</source>
        <translation>保存数据…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="399"/>
        <source>Save the figures as an Excel or CSV file</source>
        <translation>将数据保存为 Excel 或 CSV 文件</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="426"/>
        <source>The period ends before it starts; swap the dates.</source>
        <translation>结束日期早于开始日期；请对调两个日期。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="439"/>
        <source>Loading…</source>
        <translation>正在载入…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="478"/>
        <source>loading the analytics</source>
        <translation>载入分析数据</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="489"/>
        <source>%n return(s) in the period.</source>
        <translation>
            <numerusform>期间内共 %n 张退货单。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="491"/>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="695"/>
        <source>Most time is lost now in: {stage}.</source>
        <translation>当前耗时最多的环节：{stage}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="504"/>
        <source>Why goods come back (units by reason)</source>
        <translation>退货原因（按件数）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="506"/>
        <source>Units returned</source>
        <translation>退货件数</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="515"/>
        <source>Cumulative share (%)</source>
        <translation>累计占比（%）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="529"/>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="537"/>
        <source>Units</source>
        <translation>件数</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="537"/>
        <source>Reason</source>
        <translation>退货原因</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="537"/>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="676"/>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="775"/>
        <source>Returns</source>
        <translation>退货单数</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="537"/>
        <source>Value</source>
        <translation>金额</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="537"/>
        <source>Share</source>
        <translation>占比</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="538"/>
        <source>Cumulative</source>
        <translation>累计占比</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="544"/>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="643"/>
        <source>Click a bar to see the returns behind it.</source>
        <translation>点击柱形可查看对应的退货单。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="564"/>
        <source>Returns: {reason}, {start} to {end}</source>
        <translation>退货单：{reason}，{start} 至 {end}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="604"/>
        <source>Returned of sold, worst first (units)</source>
        <translation>退货占销售的比例，由高到低（按件数）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="609"/>
        <source>Return rate (%)</source>
        <translation>退货率（%）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="629"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="629"/>
        <source>Sold</source>
        <translation>售出</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="629"/>
        <source>Returned</source>
        <translation>退回</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="629"/>
        <source>Rate (units)</source>
        <translation>退货率（件数）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="630"/>
        <source>Rate (value)</source>
        <translation>退货率（金额）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="630"/>
        <source>Rate before</source>
        <translation>上期退货率</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="630"/>
        <source>Jumped</source>
        <translation>明显上升</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="639"/>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="642"/>
        <source>%n rate(s) jumped against the period before.</source>
        <translation>
            <numerusform>有 %n 项退货率比上期明显上升。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="649"/>
        <source>Hours per stage (median and 90th percentile)</source>
        <translation>各环节耗时（小时，中位数与 90 分位）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="650"/>
        <source>Median</source>
        <translation>中位数</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="652"/>
        <source>90th percentile</source>
        <translation>90 分位</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="671"/>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="762"/>
        <source>Hours</source>
        <translation>小时</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="676"/>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="775"/>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="815"/>
        <source>Stage</source>
        <translation>环节</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="676"/>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="775"/>
        <source>Mean (h)</source>
        <translation>平均（小时）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="676"/>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="775"/>
        <source>Median (h)</source>
        <translation>中位数（小时）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="677"/>
        <source>90th pct. (h)</source>
        <translation>90 分位（小时）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="677"/>
        <source>Open now</source>
        <translation>当前未结</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="677"/>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="816"/>
        <source>Target (h)</source>
        <translation>目标（小时）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="677"/>
        <source>Over target</source>
        <translation>超出目标</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="678"/>
        <source>Over twice the target</source>
        <translation>超出目标两倍</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="691"/>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="692"/>
        <source>{rma} ({stage}, {hours} h)</source>
        <translation>{rma}（{stage}，{hours} 小时）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="696"/>
        <source>No open return is over its target.</source>
        <translation>没有未结退货单超出目标时长。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="697"/>
        <source>Waiting longest: {returns}</source>
        <translation>等待最久：{returns}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="704"/>
        <source>Refunded by method</source>
        <translation>按退款方式统计的退款</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="705"/>
        <source>Refunded</source>
        <translation>已退款</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="725"/>
        <source>Back in stock (at cost)</source>
        <translation>重新入库（按成本）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="725"/>
        <source>To refurbishment (at cost)</source>
        <translation>送翻新（按成本）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="726"/>
        <source>To the vendor (at cost)</source>
        <translation>退供应商（按成本）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="726"/>
        <source>Scrapped (at cost)</source>
        <translation>报废（按成本）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="729"/>
        <source>Refunded in all</source>
        <translation>退款合计</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="730"/>
        <source>Grade deductions kept</source>
        <translation>保留的成色扣减</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="731"/>
        <source>Restocking fees kept</source>
        <translation>保留的重新上架费</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="733"/>
        <source>Recovered from vendors (credit notes)</source>
        <translation>从供应商收回（贷项通知单）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="735"/>
        <source>Net cost of returns</source>
        <translation>退货净成本</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="736"/>
        <source>Cost per return</source>
        <translation>每单退货成本</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="737"/>
        <source>Figure</source>
        <translation>项目</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="737"/>
        <source>Count</source>
        <translation>数量</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="737"/>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="741"/>
        <source>Net cost: refunded minus the cost value of the units back in stock and what vendors credited; per refund issued.</source>
        <translation>净成本：退款金额减去重新入库商品的成本价值和供应商贷记金额；按已发放的退款平均。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="748"/>
        <source>Median hours per stage, by week</source>
        <translation>各阶段小时数中位数（按周）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="749"/>
        <source>Median hours per stage, by day</source>
        <translation>各阶段小时数中位数（按天）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="757"/>
        <source>Week from</source>
        <translation>起始周</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="757"/>
        <source>Day</source>
        <translation>日期</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="781"/>
        <source>Median of each stage&apos;s stays that began in the week or day; the table adds how many returns and the mean.</source>
        <translation>各阶段在该周或该日开始的停留时长中位数；表格另列退货单数和平均值。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="806"/>
        <source>Waiting longest</source>
        <translation>等待最久</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="815"/>
        <source>RMA</source>
        <translation>退货单号</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="815"/>
        <source>Waiting (h)</source>
        <translation>已等待（小时）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="824"/>
        <source>Double-click a return to open it.</source>
        <translation>双击退货单即可打开。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="835"/>
        <source>Save chart</source>
        <translation>保存图表</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="836"/>
        <source>PNG pictures (*.png)</source>
        <translation>PNG 图片 (*.png)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="841"/>
        <source>Save figures</source>
        <translation>保存数据</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="842"/>
        <source>Excel workbooks (*.xlsx);;CSV files (*.csv)</source>
        <translation>Excel 工作簿 (*.xlsx);;CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="850"/>
        <source>The file could not be written: {error}. Choose another folder.</source>
        <translation>无法写入文件：{error}。请选择其他文件夹。</translation>
    </message>
</context>
<context>
    <name>ApprovalAge</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="89"/>
        <source>{days} d {hours} h</source>
        <translation>{days}天{hours}小时</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="91"/>
        <source>{hours} h {minutes} min</source>
        <translation>{hours}小时{minutes}分钟</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="92"/>
        <source>{minutes} min</source>
        <translation>{minutes}分钟</translation>
    </message>
</context>
<context>
    <name>ApprovalCheck</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="149"/>
        <source>Packaging</source>
        <translation>包装</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="150"/>
        <source>Accessories</source>
        <translation>配件</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="151"/>
        <source>Serial number</source>
        <translation>序列号</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="152"/>
        <source>Function</source>
        <translation>功能</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="156"/>
        <source>original packaging</source>
        <translation>原包装</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="157"/>
        <source>tags attached</source>
        <translation>吊牌完好</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="158"/>
        <source>accessories complete</source>
        <translation>配件齐全</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="159"/>
        <source>proof of purchase</source>
        <translation>购买凭证</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="160"/>
        <source>factory seal intact</source>
        <translation>出厂封条完好</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="180"/>
        <source>All passed</source>
        <translation>全部通过</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="182"/>
        <source>{check} failed ({failed} of {units})</source>
        <translation>{check}不合格（{units}件中{failed}件）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="186"/>
        <source>; </source>
        <translation>；</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="193"/>
        <source>{check}: {passed} passed, {failed} failed</source>
        <translation>{check}：{passed}件通过，{failed}件不合格</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="198"/>
        <source>Confirmed at intake: {conditions}</source>
        <translation>受理时已确认：{conditions}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="199"/>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="202"/>
        <source>Inspector&apos;s note: {note}</source>
        <translation>质检备注：{note}</translation>
    </message>
</context>
<context>
    <name>ApprovalFiguresWidget</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/widgets.py" line="158"/>
        <source>Refund</source>
        <extracomment>Written reasons shorter than this are refused here before the services are asked (the services refuse them too: ``api.approval.MIN_REASON_LENGTH``).</extracomment>
        <translation>退款</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/widgets.py" line="159"/>
        <source>Goods accepted</source>
        <translation>验收商品金额</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/widgets.py" line="160"/>
        <source>Grade deduction</source>
        <translation>成色扣减</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/widgets.py" line="161"/>
        <source>Restocking fee</source>
        <translation>重新上架费</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/widgets.py" line="162"/>
        <source>Shipping refunded</source>
        <translation>退还运费</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/widgets.py" line="163"/>
        <source>Refund total</source>
        <translation>退款合计</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/widgets.py" line="164"/>
        <source>Method</source>
        <translation>退款方式</translation>
    </message>
</context>
<context>
    <name>ApprovalHistoryWidget</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/widgets.py" line="205"/>
        <source>Customer&apos;s returns</source>
        <translation>顾客退货记录</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/widgets.py" line="217"/>
        <source>Walk-in sale without a customer record: no history.</source>
        <translation>门店散客销售，没有顾客档案，因此没有退货记录。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/widgets.py" line="224"/>
        <source>Returns in the last {days} days: {in_window} · in all: {all_time}</source>
        <translation>近{days}天退货：{in_window}次 · 累计：{all_time}次</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/widgets.py" line="226"/>
        <source>{returned} of {orders} orders returned ({rate} %)</source>
        <translation>{orders}个订单中有{returned}个退过货（{rate}%）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/widgets.py" line="230"/>
        <source>Frequent returner</source>
        <translation>频繁退货顾客</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/widgets.py" line="233"/>
        <source>Latest returns of {name}:</source>
        <translation>{name}最近的退货：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/widgets.py" line="235"/>
        <source>{rma} · {order} · {status} · {amount} · {when}</source>
        <translation>{rma} · {order} · {status} · {amount} · {when}</translation>
    </message>
</context>
<context>
    <name>ApprovalLevel</name>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="275"/>
        <source>Automatic</source>
        <translation>自动</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="276"/>
        <source>Supervisor</source>
        <translation>主管</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="277"/>
        <source>Manager</source>
        <translation>经理</translation>
    </message>
</context>
<context>
    <name>ApprovalLinesTableModel</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="448"/>
        <source>{accepted} of {requested}, {rejected} refused</source>
        <translation>{accepted}/{requested}，拒收{rejected}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="451"/>
        <source>{accepted} of {requested}</source>
        <translation>{accepted}/{requested}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="458"/>
        <source>{grade} · {disposition}</source>
        <translation>{grade} · {disposition}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="477"/>
        <source>{name}
SKU {sku} · {category} · {resolution}</source>
        <translation>{name}
SKU {sku} · {category} · {resolution}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="481"/>
        <source>Bought {bought}, returned {requested}, authorized {authorized}, received {received}, accepted {accepted}, refused {rejected}</source>
        <translation>购买{bought}，申请退货{requested}，授权{authorized}，收到{received}，验收{accepted}，拒收{rejected}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="487"/>
        <source>The seller&apos;s fault: refunded in full.</source>
        <translation>商家责任：全额退款。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="496"/>
        <source>Paid per unit {unit}
Grade deduction {deduction}
Restocking fee {fee}</source>
        <translation>单件实付 {unit}
成色扣减 {deduction}
重新上架费 {fee}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="506"/>
        <source>#</source>
        <translation>#</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="506"/>
        <source>Product</source>
        <translation>商品</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="506"/>
        <source>Qty</source>
        <translation>数量</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="506"/>
        <source>Reason</source>
        <translation>退货原因</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="507"/>
        <source>Grade</source>
        <translation>等级</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="507"/>
        <source>Checks</source>
        <translation>检查</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="507"/>
        <source>Policy</source>
        <translation>政策</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="507"/>
        <source>Refund</source>
        <translation>退款</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="508"/>
        <source>Deducted</source>
        <translation>扣减</translation>
    </message>
</context>
<context>
    <name>ApprovalQueueTableModel</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="314"/>
        <source>Walk-in customer</source>
        <extracomment>One keyset page of queue rows; ``next_cursor`` None on the last page.</extracomment>
        <translation>到店顾客</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="319"/>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="333"/>
        <source>{rma} · order {order} · {level} approval</source>
        <translation>{rma} · 订单 {order} · {level}审批</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="335"/>
        <source>Waiting since {when}</source>
        <translation>自 {when} 起等待</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="337"/>
        <source>Outside the return policy: needs an override with a reason.</source>
        <translation>不符合退货政策：需填写理由进行特批。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="339"/>
        <source>Why it needs approval:</source>
        <translation>需要审批的原因：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="347"/>
        <source>Waiting</source>
        <translation>已等待</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="347"/>
        <source>RMA · customer</source>
        <translation>退货单号 · 顾客</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="347"/>
        <source>Refund</source>
        <translation>退款</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="347"/>
        <source>Reasons</source>
        <translation>退货原因</translation>
    </message>
</context>
<context>
    <name>ApprovalScreen</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="265"/>
        <source>Approvals</source>
        <extracomment>Pause after the last keystroke in the filter before the queue is read with it. States in which the refund is decided: the receipt can be printed. States after approval, when the refund bar is shown.</extracomment>
        <translation>主管审批</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="266"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="267"/>
        <source>Read the queue again ({key})</source>
        <translation>重新读取队列（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="269"/>
        <source>RMA, order, name or phone</source>
        <translation>退货单号、订单号、姓名或电话</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="270"/>
        <source>Filter the queue: type and press Enter ({key})</source>
        <translation>筛选队列：输入后按回车（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="272"/>
        <source>Show only returns with a line of this reason</source>
        <translation>只显示含此退货原因的退货单</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="273"/>
        <source>Oldest first. Up/Down choose a return.</source>
        <translation>最早的排在前面。按上/下键选择退货单。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="274"/>
        <source>Choose a return in the queue to see it here.</source>
        <translation>在队列中选择一张退货单，在这里查看。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="275"/>
        <source>Customer</source>
        <translation>顾客</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="275"/>
        <source>Order</source>
        <translation>订单</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="276"/>
        <source>Channel</source>
        <translation>渠道</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="278"/>
        <source>Taken by</source>
        <translation>受理人</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="278"/>
        <source>Inspected by</source>
        <translation>质检人</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="279"/>
        <source>Waiting</source>
        <translation>等待</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="281"/>
        <source>Why it needs your approval</source>
        <translation>需要您审批的原因</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="282"/>
        <source>Lines</source>
        <translation>退货明细</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="283"/>
        <source>Timeline</source>
        <translation>处理记录</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="285"/>
        <source>&amp;Note or reason:</source>
        <translation>备注或理由(&amp;N)：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="286"/>
        <source>Optional when approving; required to reject or override</source>
        <translation>批准时可不填；驳回或特批时必须填写</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="287"/>
        <source>&amp;Approve</source>
        <translation>批准(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="288"/>
        <source>&amp;Reject…</source>
        <translation>驳回(&amp;R)…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="289"/>
        <source>&amp;Override policy…</source>
        <translation>政策特批(&amp;O)…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="291"/>
        <source>Refund &amp;method:</source>
        <translation>退款方式(&amp;M)：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="292"/>
        <source>&amp;Issue refund</source>
        <translation>办理退款(&amp;I)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="293"/>
        <source>Print &amp;receipt</source>
        <translation>打印回执(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="294"/>
        <source>Print &amp;credit note</source>
        <translation>打印贷项通知单(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="376"/>
        <source>counting the queue</source>
        <translation>统计队列</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="385"/>
        <source>All reasons ({count})</source>
        <translation>全部原因（{count}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="386"/>
        <source>All reasons</source>
        <translation>全部原因</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="391"/>
        <source>{reason} ({count})</source>
        <translation>{reason}（{count}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="397"/>
        <source>reading the approval queue</source>
        <translation>读取审批队列</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="402"/>
        <source>Waiting for your approval: {count}</source>
        <translation>等待您审批：{count}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="407"/>
        <source>No return waiting for you matches this filter.</source>
        <translation>没有符合此筛选条件的待审批退货单。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="409"/>
        <source>Nothing waits for your approval.</source>
        <translation>没有等待您审批的退货单。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="412"/>
        <source>Returns shown: {count}; the oldest has waited {age}.</source>
        <translation>显示 {count} 张；最早的已等待{age}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="414"/>
        <source>Returns shown: {count}; scroll down for more.</source>
        <translation>显示 {count} 张；向下滚动查看更多。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="461"/>
        <source>{level} approval</source>
        <translation>{level}审批</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="464"/>
        <source>Walk-in customer</source>
        <translation>到店顾客</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="466"/>
        <source>At the counter</source>
        <translation>柜台</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="466"/>
        <source>Phone or online (parcel)</source>
        <translation>电话或线上（包裹寄回）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="471"/>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="473"/>
        <source>{who} · {when}</source>
        <translation>{who} · {when}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="477"/>
        <source>{status} for {age}</source>
        <translation>{status}已{age}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="482"/>
        <source>Policy overridden: “{reason}”</source>
        <translation>已政策特批：“{reason}”</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="483"/>
        <source>No routing reason recorded.</source>
        <translation>没有记录审批原因。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="516"/>
        <source>Approve the refund of {amount} ({key})</source>
        <translation>批准退款 {amount}（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="518"/>
        <source>Refuse the refund with the reason written in the field; the goods go back to the customer ({key})</source>
        <translation>按输入框中的理由驳回退款；商品退回顾客（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="521"/>
        <source>Approve although the return is outside the policy, with the reason written in the field ({key})</source>
        <translation>退货不符合政策，按输入框中的理由特批（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="525"/>
        <source>Approve</source>
        <translation>批准</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="525"/>
        <source>Reject</source>
        <translation>驳回</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="525"/>
        <source>Override policy</source>
        <translation>政策特批</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="537"/>
        <source>{action}: {why}</source>
        <translation>{action}：{why}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="547"/>
        <source>Pay back {amount} by the chosen method ({key})</source>
        <translation>按所选方式退款 {amount}（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="554"/>
        <source>Print the receipt of this return ({key})</source>
        <translation>打印此退货单的回执（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="555"/>
        <source>The receipt is printed once the refund is approved.</source>
        <translation>退款批准后才能打印回执。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="561"/>
        <source>Print credit note {number} ({key})</source>
        <translation>打印贷项通知单 {number}（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="563"/>
        <source>The credit note exists once the refund is issued.</source>
        <translation>办理退款后才有贷项通知单。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="568"/>
        <source>Your role may not issue refunds.</source>
        <translation>您的角色不能办理退款。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="570"/>
        <source>The refund was rejected; nothing is paid.</source>
        <translation>退款已被驳回，不付款。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="572"/>
        <source>The refund was issued already.</source>
        <translation>已经办理过退款。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="573"/>
        <source>The refund is issued once it is approved.</source>
        <translation>退款批准后才能办理。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="578"/>
        <source>Refund {number}: {amount} by {method}, issued by {who} at {when}.</source>
        <translation>退款 {number}：{amount}，{method}，由{who}于 {when} 办理。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="582"/>
        <source>Credit note {number}.</source>
        <translation>贷项通知单 {number}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="585"/>
        <source>Approved: issue the refund of {amount}.</source>
        <translation>已批准：请办理退款 {amount}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="588"/>
        <source>The refund was rejected; the goods go back to the customer.</source>
        <translation>退款已被驳回；商品退回顾客。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="602"/>
        <source>approving the refund</source>
        <translation>批准退款</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="610"/>
        <source>Write why the refund is rejected in the “Note or reason” field (at least {count} characters), then reject again; the reason is kept with the return.</source>
        <translation>请在“备注或理由”中写明驳回退款的理由（至少 {count} 个字），然后再次驳回；理由会随退货单保存。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="615"/>
        <source>rejecting the refund</source>
        <translation>驳回退款</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="623"/>
        <source>Write why the policy is overridden in the “Note or reason” field (at least {count} characters), then override again; the reason is kept with the return.</source>
        <translation>请在“备注或理由”中写明政策特批的理由（至少 {count} 个字），然后再次特批；理由会随退货单保存。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="629"/>
        <source>overriding the policy</source>
        <translation>政策特批</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="652"/>
        <source>{rma}: refund of {amount} approved. Issue it now ({key}) or leave it for the counter.</source>
        <translation>{rma}：已批准退款 {amount}。现在办理（{key}），或交给柜台办理。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="662"/>
        <source>{rma}: refund rejected. The goods go back to the customer.</source>
        <translation>{rma}：退款已驳回，商品退回顾客。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="689"/>
        <source>issuing the refund</source>
        <translation>办理退款</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="694"/>
        <source>Refund {number} of {amount} issued by {method}.</source>
        <translation>退款 {number} 已办理：{amount}，{method}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="695"/>
        <source>Print the receipt ({receipt}) or the credit note {number} ({key}).</source>
        <translation>可打印回执（{receipt}）或贷项通知单 {number}（{key}）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="715"/>
        <source>Printing…</source>
        <translation>正在打印…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="767"/>
        <source>The document could not be printed ({reason}); check the printer or the folder, then print again.</source>
        <translation>单据无法打印（{reason}）；请检查打印机或文件夹后重新打印。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="770"/>
        <source>printing the document</source>
        <translation>打印单据</translation>
    </message>
</context>
<context>
    <name>ApprovalTimelineTableModel</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="680"/>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="680"/>
        <source>Who</source>
        <translation>操作人</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="680"/>
        <source>Station</source>
        <translation>工作站</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="680"/>
        <source>What</source>
        <translation>内容</translation>
    </message>
</context>
<context>
    <name>BlindReturnDialog</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/blind.py" line="193"/>
        <source>Return without a receipt</source>
        <translation>无小票退货</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/blind.py" line="195"/>
        <source>No sale can be found: the item is refunded at the lowest price it sold for recently, as store credit only, and a supervisor signs off on this screen. The return is kept in the customer&apos;s history as one without a receipt.</source>
        <translation>找不到销售记录：按商品近期最低售价退款，只退储值，并由主管在本屏幕上授权。该退货将以“无小票退货”记入顾客的退货记录。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/blind.py" line="198"/>
        <source>&amp;Item:</source>
        <translation>商品(&amp;I)：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/blind.py" line="199"/>
        <source>Scan the item&apos;s barcode or type its SKU</source>
        <translation>扫描商品条码或输入 SKU</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/blind.py" line="200"/>
        <source>&amp;Quantity:</source>
        <translation>数量(&amp;Q)：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/blind.py" line="201"/>
        <source>&amp;Reason:</source>
        <translation>原因(&amp;R)：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/blind.py" line="202"/>
        <source>Checked:</source>
        <translation>已核对：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/blind.py" line="203"/>
        <source>Customer&apos;s &amp;phone:</source>
        <translation>顾客电话(&amp;P)：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/blind.py" line="204"/>
        <source>Required: the return is kept in the customer&apos;s history</source>
        <translation>必填：该退货将记入顾客的退货记录</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/blind.py" line="205"/>
        <source>Customer&apos;s &amp;name:</source>
        <translation>顾客姓名(&amp;N)：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/blind.py" line="206"/>
        <source>Take the return ({key})</source>
        <translation>受理退货（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/blind.py" line="207"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/blind.py" line="262"/>
        <source>pricing the item</source>
        <translation>核定商品价格</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/blind.py" line="274"/>
        <source>Scan the item to see what is refunded.</source>
        <translation>扫描商品即可看到退款金额。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/blind.py" line="282"/>
        <source>{price} each: the lowest price of the last {days} days (sold {day}); today&apos;s price is {list}.</source>
        <translation>每件 {price}：近 {days} 天的最低售价（{day} 售出）；今日售价 {list}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/blind.py" line="286"/>
        <source>{price} each: today&apos;s price; it did not sell for less in the last {days} days.</source>
        <translation>每件 {price}：今日售价；近 {days} 天内没有更低的售价。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/blind.py" line="288"/>
        <source>{name} ({sku}). {why}</source>
        <translation>{name}（{sku}）。{why}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/blind.py" line="289"/>
        <source>Store credit: {amount}</source>
        <translation>储值退款：{amount}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/blind.py" line="296"/>
        <source>{name} returned {count} item(s) without a receipt before.</source>
        <translation>{name} 此前已有 {count} 次无小票退货。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/blind.py" line="310"/>
        <source>Scan the item&apos;s barcode or type its SKU.</source>
        <translation>请扫描商品条码或输入 SKU。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/blind.py" line="312"/>
        <source>Choose the reason.</source>
        <translation>请选择原因。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/blind.py" line="314"/>
        <source>Type the customer&apos;s phone number.</source>
        <translation>请输入顾客电话。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/blind.py" line="316"/>
        <source>No customer has this phone yet: type the customer&apos;s name.</source>
        <translation>尚无使用此电话的顾客：请输入顾客姓名。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/blind.py" line="338"/>
        <source>Return without a receipt: {quantity} × {sku}, store credit {amount}.</source>
        <translation>无小票退货：{quantity} × {sku}，储值退款 {amount}。</translation>
    </message>
</context>
<context>
    <name>BusyOverlay</name>
    <message>
        <location filename="../../desktop/returndesk/ui/widgets/busy.py" line="37"/>
        <source>Working…</source>
        <translation>正在处理…</translation>
    </message>
</context>
<context>
    <name>CashDrawerScreen</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/cash_drawer.py" line="122"/>
        <source>Cash drawer</source>
        <translation>收银钱箱</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/cash_drawer.py" line="123"/>
        <source>Open the shift</source>
        <translation>开班</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/cash_drawer.py" line="124"/>
        <source>Float in the drawer (¥)</source>
        <translation>钱箱备用金（¥）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/cash_drawer.py" line="125"/>
        <source>&amp;Open shift</source>
        <translation>开班(&amp;O)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/cash_drawer.py" line="126"/>
        <source>Cash counted (¥)</source>
        <translation>实点现金（¥）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/cash_drawer.py" line="127"/>
        <source>Note on a difference</source>
        <translation>差额说明</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/cash_drawer.py" line="128"/>
        <source>&amp;Close shift</source>
        <translation>交班(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/cash_drawer.py" line="129"/>
        <source>Shift &amp;report (PDF)…</source>
        <translation>班次报表 PDF(&amp;R)…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/cash_drawer.py" line="130"/>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/cash_drawer.py" line="130"/>
        <source>Refund</source>
        <translation>退款单号</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/cash_drawer.py" line="130"/>
        <source>RMA</source>
        <translation>退货单号</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/cash_drawer.py" line="130"/>
        <source>Paid by</source>
        <translation>经办人</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/cash_drawer.py" line="131"/>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/cash_drawer.py" line="157"/>
        <source>No cash shift is open at station {station}. Count the float into the drawer and open the shift before paying out cash.</source>
        <translation>工位 {station} 没有开班。请先点好备用金放入钱箱并开班，然后再支付现金退款。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/cash_drawer.py" line="164"/>
        <source>Shift {shift} at {station}, opened {when} by {who}.</source>
        <translation>班次 {shift}（工位 {station}），{who} 于 {when} 开班。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/cash_drawer.py" line="166"/>
        <source>Shift {shift}</source>
        <translation>班次 {shift}</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/returndesk/ui/screens/cash_drawer.py" line="168"/>
        <source>Float {float} − %n cash refund(s) {paid} = {expected} expected in the drawer</source>
        <translation>
            <numerusform>备用金 {float} − %n 笔现金退款 {paid} = 钱箱应有 {expected}</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/returndesk/ui/screens/cash_drawer.py" line="174"/>
        <source>The expected cash includes %n exchange difference(s) taken in: {taken}</source>
        <translation>
            <numerusform>应有现金已含 %n 笔收取的换货差价：{taken}</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/cash_drawer.py" line="187"/>
        <source>Shift {shift} closed: the drawer held exactly {counted}.</source>
        <translation>班次 {shift} 已交班：钱箱现金 {counted}，与应有金额一致。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/cash_drawer.py" line="189"/>
        <source>over</source>
        <translation>长款</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/cash_drawer.py" line="189"/>
        <source>short</source>
        <translation>短款</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/cash_drawer.py" line="190"/>
        <source>Shift {shift} closed {kind} by {difference} (counted {counted}, expected {expected}); posted as journal entry {entry}.</source>
        <translation>班次 {shift} 已交班，{kind} {difference}（实点 {counted}，应有 {expected}），已记账凭证 {entry}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/cash_drawer.py" line="199"/>
        <source>float</source>
        <translation>备用金</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/cash_drawer.py" line="209"/>
        <source>Shift {shift} opened with {amount}.</source>
        <translation>班次 {shift} 已开班，备用金 {amount}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/cash_drawer.py" line="215"/>
        <source>cash counted</source>
        <translation>实点现金</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/cash_drawer.py" line="231"/>
        <source>Save the shift report</source>
        <translation>保存班次报表</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/cash_drawer.py" line="244"/>
        <source>Shift report saved to {path}.</source>
        <translation>班次报表已保存到 {path}。</translation>
    </message>
</context>
<context>
    <name>Channel</name>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="259"/>
        <source>Counter</source>
        <translation>柜台</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="260"/>
        <source>Phone or online</source>
        <translation>电话或线上</translation>
    </message>
</context>
<context>
    <name>ClaimUnitsTableModel</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="156"/>
        <source>Item tag</source>
        <translation>商品标签</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="156"/>
        <source>SKU</source>
        <translation>SKU</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="156"/>
        <source>Product</source>
        <translation>商品</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="156"/>
        <source>Grade</source>
        <translation>等级</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="156"/>
        <source>Cost</source>
        <translation>成本</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="157"/>
        <source>Answer</source>
        <translation>供应商答复</translation>
    </message>
</context>
<context>
    <name>ClaimsScreen</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="67"/>
        <source>Open</source>
        <translation>待提交</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="68"/>
        <source>Authorisation asked</source>
        <translation>已申请授权</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="69"/>
        <source>Authorised</source>
        <translation>已授权</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="70"/>
        <source>Shipped</source>
        <translation>已发出</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="71"/>
        <source>Credited</source>
        <translation>已退款</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="72"/>
        <source>Partly credited</source>
        <translation>部分退款</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="73"/>
        <source>Rejected</source>
        <translation>已拒绝</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="76"/>
        <source>Credit at cost</source>
        <translation>按成本退款</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="77"/>
        <source>Credit at cost less handling fee</source>
        <translation>按成本扣除手续费退款</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="78"/>
        <source>Replacement goods</source>
        <translation>换货</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="81"/>
        <source>Accepted</source>
        <translation>已接受</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="82"/>
        <source>Refused, back in stock</source>
        <translation>拒收，已回可售库存</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="83"/>
        <source>Refused, scrapped</source>
        <translation>拒收，已报废</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="324"/>
        <source>Claims against suppliers</source>
        <translation>退供单</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="325"/>
        <source>Scan an item tag to put the unit on its supplier&apos;s claim ({key})</source>
        <translation>扫描商品标签，将该件加入其供应商的退供单（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="327"/>
        <source>Take off ({key})</source>
        <translation>移出（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="328"/>
        <source>When checked, a scan takes the unit off the claim shown</source>
        <translation>勾选后，扫描会将该件从当前退供单中移出</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="329"/>
        <source>Refresh ({key})</source>
        <translation>刷新（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="330"/>
        <source>Ask for authorisation ({key})</source>
        <translation>申请授权（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="331"/>
        <source>Packing list and label ({key})</source>
        <translation>装箱单和标签（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="333"/>
        <source>Ship ({key})</source>
        <translation>发货（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="334"/>
        <source>Supplier&apos;s authorisation ({key})</source>
        <translation>供应商授权（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="336"/>
        <source>Supplier RMA:</source>
        <translation>供应商退货授权号：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="337"/>
        <source>Authorised on:</source>
        <translation>授权日期：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="338"/>
        <source>Record authorisation</source>
        <translation>登记授权</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="339"/>
        <source>Supplier&apos;s answer ({key})</source>
        <translation>供应商答复（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="340"/>
        <source>Credit note no.:</source>
        <translation>贷项通知单号：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="341"/>
        <source>Amount credited:</source>
        <translation>退款金额：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="342"/>
        <source>Refused units go:</source>
        <translation>拒收商品去向：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="343"/>
        <source>Back to available stock</source>
        <translation>回到可售库存</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="344"/>
        <source>To scrap</source>
        <translation>报废</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="345"/>
        <source>Select the units the supplier refused in the list above.</source>
        <translation>请在上方列表中选中供应商拒收的商品。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="346"/>
        <source>Record credit</source>
        <translation>登记退款</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="347"/>
        <source>Supplier refused all ({key})</source>
        <translation>供应商全部拒收（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="349"/>
        <source>Report to the supplier</source>
        <translation>给供应商的报告</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="350"/>
        <source>Save as Excel and PDF ({key})</source>
        <translation>保存为 Excel 和 PDF（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="352"/>
        <source>Return rates, reasons and claims of the supplier of the claim shown (all suppliers when none is shown), for the days chosen</source>
        <translation>所选日期内，当前退供单所属供应商（未选退供单时为全部供应商）的退货率、退货原因和退供单</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="380"/>
        <source>%n claim(s) not yet answered.</source>
        <translation>
            <numerusform>%n 张退供单尚未答复。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="381"/>
        <source>No open claims. Scan the item tag of a unit going back to its supplier.</source>
        <translation>没有未完成的退供单。扫描要退回供应商的商品标签即可开始。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="383"/>
        <source>%n shipped too long ago without an answer.</source>
        <translation>
            <numerusform>%n 张已发出过久仍未答复。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="403"/>
        <source>No claim chosen</source>
        <translation>未选择退供单</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="404"/>
        <source>Choose a claim in the list, or scan an item tag.</source>
        <translation>请在列表中选择退供单，或扫描商品标签。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="408"/>
        <source>{claim} to {supplier} — {status}</source>
        <translation>{claim} 退给 {supplier} — {status}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="410"/>
        <source>Terms: {terms}</source>
        <translation>条款：{terms}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="411"/>
        <source>Units: {n}, cost {cost}, credit asked {value}</source>
        <translation>件数：{n}，成本 {cost}，申请退款 {value}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="414"/>
        <source>Minimum claim: {amount}</source>
        <translation>最低退供金额：{amount}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="416"/>
        <source>Supplier RMA {rma} of {day}</source>
        <translation>供应商授权号 {rma}（{day}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="419"/>
        <source>Below the supplier&apos;s minimum claim: collect more units before asking.</source>
        <translation>低于供应商的最低退供金额：请先收集更多商品再申请。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="421"/>
        <source>Shipped too long ago without the supplier&apos;s answer: remind the supplier.</source>
        <translation>发出已久仍未收到供应商答复：请催促供应商。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="440"/>
        <source>Supervisors and finance record the supplier&apos;s answer.</source>
        <translation>供应商答复由主管或财务登记。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="443"/>
        <source>working on claims</source>
        <translation>处理退供单</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="461"/>
        <source>The warehouse puts units on claims; you can read claims and record the supplier&apos;s answer.</source>
        <translation>由仓库把商品加入退供单；您可以查看退供单并登记供应商的答复。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="468"/>
        <source>Choose the claim to take the unit off first.</source>
        <translation>请先选择要移出商品的退供单。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="471"/>
        <source>{tag} taken off {claim}.</source>
        <translation>{tag} 已从 {claim} 移出。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="475"/>
        <source>{tag} put on {claim}.</source>
        <translation>{tag} 已加入 {claim}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="500"/>
        <source>Authorisation of {claim} asked; record the supplier&apos;s RMA when it comes.</source>
        <translation>已为 {claim} 申请授权；收到供应商的退货授权号后请登记。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="509"/>
        <source>Enter the RMA number the supplier gave.</source>
        <translation>请输入供应商给出的退货授权号。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="515"/>
        <source>{claim} authorised; print the packing list and ship it.</source>
        <translation>{claim} 已授权；请打印装箱单并发货。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="522"/>
        <source>{claim} shipped to the supplier.</source>
        <translation>{claim} 已发给供应商。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="536"/>
        <source>“{text}” is not an amount; type it as on the credit note, e.g. 150.00.</source>
        <translation>“{text}”不是金额；请按贷项通知单上的金额输入，例如 150.00。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="544"/>
        <source>The supplier&apos;s answer to {claim} is recorded.</source>
        <translation>已登记供应商对 {claim} 的答复。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="552"/>
        <source>{claim} refused by the supplier; its units are back.</source>
        <translation>供应商拒绝了 {claim}；商品已退回。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="569"/>
        <source>The documents could not be saved in {folder}: {error}</source>
        <translation>无法将单据保存到 {folder}：{error}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="572"/>
        <source>Packing list and shipping label of {claim} saved in {folder}.</source>
        <translation>{claim} 的装箱单和发货标签已保存到 {folder}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="594"/>
        <source>The report could not be saved in {folder}: {error}</source>
        <translation>报告无法保存到 {folder}：{error}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="597"/>
        <source>Supplier report saved in {folder} as {name}.xlsx and .pdf.</source>
        <translation>供应商报告已保存到 {folder}：{name}.xlsx 和 .pdf。</translation>
    </message>
</context>
<context>
    <name>ClaimsTableModel</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="113"/>
        <source>{status} — overdue</source>
        <translation>{status} — 已超期</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="122"/>
        <source>Below the supplier&apos;s minimum claim: collect more units before asking.</source>
        <translation>低于供应商的最低退供金额：请先收集更多商品再申请。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="130"/>
        <source>Claim</source>
        <translation>退供单号</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="130"/>
        <source>Supplier</source>
        <translation>供应商</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="130"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="130"/>
        <source>Units</source>
        <translation>件数</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="130"/>
        <source>Value</source>
        <translation>金额</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="131"/>
        <source>Supplier RMA</source>
        <translation>供应商授权号</translation>
    </message>
</context>
<context>
    <name>CollectMethod</name>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="290"/>
        <source>Cash</source>
        <translation>现金</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="291"/>
        <source>Bank card</source>
        <translation>银行卡</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="292"/>
        <source>WeChat Pay</source>
        <translation>微信支付</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="293"/>
        <source>Alipay</source>
        <translation>支付宝</translation>
    </message>
</context>
<context>
    <name>CounterLineEditor</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/widgets.py" line="167"/>
        <source>&amp;Quantity</source>
        <translation>数量(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/widgets.py" line="168"/>
        <source>Units the customer returns now (Enter: next field)</source>
        <translation>顾客本次退回的件数（回车：下一项）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/widgets.py" line="169"/>
        <source>Rea&amp;son</source>
        <translation>原因(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/widgets.py" line="170"/>
        <source>Choose a reason…</source>
        <translation>请选择原因…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/widgets.py" line="171"/>
        <source>Why the customer returns the item; needed for every line returned</source>
        <translation>顾客退货的原因；每个退货行都必须填写</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/widgets.py" line="172"/>
        <source>Customer &amp;wants</source>
        <translation>顾客要求(&amp;W)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/widgets.py" line="175"/>
        <source>Confirmed</source>
        <translation>已确认</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/widgets.py" line="176"/>
        <source>Condition &amp;notes</source>
        <translation>商品状况(&amp;N)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/widgets.py" line="177"/>
        <source>What the goods look like (optional)</source>
        <translation>商品外观说明（选填）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/widgets.py" line="178"/>
        <source>Serial n&amp;umbers</source>
        <translation>序列号(&amp;U)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/widgets.py" line="179"/>
        <source>Scan or type each unit&apos;s serial number</source>
        <translation>扫描或输入每件商品的序列号</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/widgets.py" line="181"/>
        <source>Needed to inspect serial-tracked items at the counter; separate several with spaces</source>
        <translation>在柜台检验有序列号的商品时需要；多个序列号用空格分隔</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/widgets.py" line="183"/>
        <source>Find a sale, then choose a line in the table to return it.</source>
        <translation>先查找订单，再在表格中选择要退的商品行。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/widgets.py" line="277"/>
        <source>Line {title}</source>
        <translation>第 {title}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/widgets.py" line="278"/>
        <source>Line to return</source>
        <translation>退货行</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/widgets.py" line="285"/>
        <source>of {count} returnable</source>
        <translation>可退 {count} 件</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/widgets.py" line="286"/>
        <source>nothing left to return</source>
        <translation>已无可退数量</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/widgets.py" line="292"/>
        <source>The policy requires no particular condition.</source>
        <translation>退货政策对商品状况无特别要求。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/widgets.py" line="294"/>
        <source>Checked when the parcel arrives.</source>
        <translation>包裹到货时检查。</translation>
    </message>
</context>
<context>
    <name>CounterLinesTableModel</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/models.py" line="283"/>
        <source>Only {count} can still be returned now; the quantity was set to {count}.</source>
        <translation>现在只剩 {count} 件可退；数量已改为 {count}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/models.py" line="404"/>
        <source>Choose the reason for returning this item.</source>
        <translation>请选择此商品的退货原因。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/models.py" line="527"/>
        <source>{name} ({sku})</source>
        <translation>{name}（{sku}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/models.py" line="543"/>
        <source>Choose a reason</source>
        <translation>请选择原因</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/models.py" line="554"/>
        <source>(checking the line as entered…)</source>
        <translation>（正在按录入内容核对…）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/models.py" line="557"/>
        <source>To fix:</source>
        <translation>需要修改：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/models.py" line="561"/>
        <source>{total} paid for {count} (after discounts, tax included)</source>
        <translation>{count} 件共付 {total}（折后，含税）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/models.py" line="564"/>
        <source>{name} · {category}</source>
        <translation>{name} · {category}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/models.py" line="576"/>
        <source>#</source>
        <translation>行</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/models.py" line="576"/>
        <source>Item</source>
        <translation>商品</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/models.py" line="576"/>
        <source>Bought</source>
        <translation>购买</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/models.py" line="576"/>
        <source>Returned</source>
        <translation>已退</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/models.py" line="576"/>
        <source>In process</source>
        <translation>处理中</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/models.py" line="577"/>
        <source>Returnable</source>
        <translation>可退</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/models.py" line="577"/>
        <source>Paid each</source>
        <translation>实付单价</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/models.py" line="577"/>
        <source>To return</source>
        <translation>本次退</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/models.py" line="577"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/models.py" line="578"/>
        <source>Policy verdict</source>
        <translation>政策判定</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/models.py" line="582"/>
        <source>Units already returned by earlier returns</source>
        <translation>以前的退货已退回的件数</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/models.py" line="583"/>
        <source>Units held by returns still open</source>
        <translation>尚未完成的退货占用的件数</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/models.py" line="584"/>
        <source>Units that can still be returned</source>
        <translation>仍可退的件数</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/models.py" line="585"/>
        <source>Price paid per unit, after discounts, tax included</source>
        <translation>每件实付金额（折后，含税）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/models.py" line="586"/>
        <source>Units the customer returns now</source>
        <translation>顾客本次退回的件数</translation>
    </message>
</context>
<context>
    <name>CounterRefundSummary</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/widgets.py" line="613"/>
        <source>Expected refund</source>
        <translation>预计退款</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/widgets.py" line="614"/>
        <source>Goods</source>
        <translation>商品金额</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/widgets.py" line="615"/>
        <source>Restocking fee</source>
        <translation>重新上架费</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/widgets.py" line="616"/>
        <source>Grade deduction</source>
        <translation>成色扣减</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/widgets.py" line="617"/>
        <source>Shipping refunded</source>
        <translation>退还运费</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/widgets.py" line="618"/>
        <source>Refund</source>
        <translation>退款</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/widgets.py" line="619"/>
        <source>Grade A assumed: as sold.</source>
        <translation>按 A 级（与售出时相同）计算。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/widgets.py" line="620"/>
        <source>The refund assumes the goods come back as they were sold; inspection decides the final amount.</source>
        <translation>按商品与售出时状况相同计算；最终金额以检验结果为准。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/widgets.py" line="644"/>
        <source>If opened: fee up to {amount}.</source>
        <translation>如已拆封：最多收费 {amount}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/widgets.py" line="646"/>
        <source>Opened goods returned for a reason of the customer&apos;s own carry the restocking fee</source>
        <translation>因顾客自身原因退回的已拆封商品需收取重新上架费</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/widgets.py" line="658"/>
        <source>your approval limit</source>
        <translation>您的审批限额</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/widgets.py" line="660"/>
        <source>the policy&apos;s automatic approval limit; your own limit is {own}</source>
        <translation>政策的自动审批限额；您本人的限额为 {own}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/widgets.py" line="663"/>
        <source>the policy&apos;s automatic approval limit</source>
        <translation>政策的自动审批限额</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/widgets.py" line="665"/>
        <source>Above {amount} ({source}): a supervisor approves the refund; it is not paid on the spot.</source>
        <translation>超过 {amount}（{source}）：退款须由主管审批，不能当场退款。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/widgets.py" line="669"/>
        <source>Refunded on the spot up to {amount} ({source}).</source>
        <translation>{amount} 以内当场退款（{source}）。</translation>
    </message>
</context>
<context>
    <name>CounterReturnOptions</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/widgets.py" line="434"/>
        <source>Return</source>
        <translation>退货</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/widgets.py" line="435"/>
        <source>Channel</source>
        <translation>方式</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/widgets.py" line="436"/>
        <source>&amp;Walk-in, goods in hand</source>
        <translation>到店退货，商品在柜台(&amp;W)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/widgets.py" line="438"/>
        <source>The goods are received at the counter now, and refunded on the spot when the policy allows</source>
        <translation>商品当场在柜台收货；政策允许时当场退款</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/widgets.py" line="440"/>
        <source>&amp;Remote (phone, online)</source>
        <translation>远程（电话、网上）(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/widgets.py" line="441"/>
        <source>An RMA is issued; the customer sends the goods with the return label</source>
        <translation>开具退货单；顾客贴上退货标签寄回商品</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/widgets.py" line="442"/>
        <source>Refund &amp;method</source>
        <translation>退款方式(&amp;M)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/widgets.py" line="445"/>
        <source>Condition &amp;seen</source>
        <translation>所见成色(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/widgets.py" line="449"/>
        <source>How the goods look at the counter; opened or used goods may carry deductions</source>
        <translation>商品在柜台所见的状况；已拆封或用过的商品可能扣款</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/widgets.py" line="451"/>
        <source>&amp;Inspect and refund on the spot when allowed</source>
        <translation>允许时当场检验并退款(&amp;I)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/widgets.py" line="453"/>
        <source>Otherwise the goods go to the inspection area and are inspected at a station</source>
        <translation>否则商品送往质检区，在质检工位检验</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/widgets.py" line="455"/>
        <source>N&amp;otes</source>
        <translation>备注(&amp;O)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/widgets.py" line="456"/>
        <source>Anything the next person should know (optional)</source>
        <translation>需要告诉后续处理人员的信息（选填）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/widgets.py" line="457"/>
        <source>O&amp;verride reason</source>
        <translation>特批理由(&amp;V)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/widgets.py" line="458"/>
        <source>Why the return is accepted outside the policy</source>
        <translation>为什么在政策之外接受此退货</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/widgets.py" line="528"/>
        <source>A line is outside the policy: write why it is accepted; the override is kept with the return.</source>
        <translation>有商品行不符合政策：请写明接受的理由；特批记录随退货单保存。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/widgets.py" line="532"/>
        <source>A line is outside the policy: write why it is accepted; a supervisor signs off on this screen when you take the return.</source>
        <translation>有商品行不符合退货政策：请写明受理理由；受理退货时由主管在本屏幕上授权。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/widgets.py" line="537"/>
        <source>A line is outside the policy: only a supervisor can accept it.</source>
        <translation>有商品行不符合政策：只有主管可以特批。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/widgets.py" line="546"/>
        <source>Cash is paid out at the counter only</source>
        <translation>现金只能在柜台支付</translation>
    </message>
</context>
<context>
    <name>CounterSalesTableModel</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/models.py" line="609"/>
        <source>Shop</source>
        <translation>门店</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/models.py" line="610"/>
        <source>Online</source>
        <translation>网上</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/models.py" line="611"/>
        <location filename="../../desktop/returndesk/ui/screens/counter/models.py" line="616"/>
        <location filename="../../desktop/returndesk/ui/screens/counter/models.py" line="688"/>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/models.py" line="614"/>
        <source>Order number</source>
        <translation>订单号</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/models.py" line="615"/>
        <source>Earlier return</source>
        <translation>以前的退货</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/models.py" line="617"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/models.py" line="688"/>
        <source>Order</source>
        <translation>订单</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/models.py" line="688"/>
        <source>Sold</source>
        <translation>销售日期</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/models.py" line="688"/>
        <source>Customer</source>
        <translation>顾客</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/models.py" line="688"/>
        <source>Items</source>
        <translation>件数</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/models.py" line="689"/>
        <source>Returnable</source>
        <translation>可退</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/models.py" line="689"/>
        <source>Paid</source>
        <translation>实付</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/models.py" line="689"/>
        <source>Bought at</source>
        <translation>购买渠道</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/models.py" line="689"/>
        <source>Found by</source>
        <translation>匹配依据</translation>
    </message>
</context>
<context>
    <name>CounterScreen</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="135"/>
        <source>card</source>
        <extracomment>Pause after the last keystroke before the draft is judged again (the services answer fast; this only spares them a request per key). Pause before a sale changed elsewhere is read again. How sales were paid (codes of the sales import), in words.</extracomment>
        <translation>银行卡</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="136"/>
        <source>cash</source>
        <translation>现金</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="137"/>
        <source>WeChat Pay</source>
        <translation>微信支付</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="138"/>
        <source>Alipay</source>
        <translation>支付宝</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="139"/>
        <source>cash on delivery</source>
        <translation>货到付款</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="140"/>
        <source>bank transfer</source>
        <translation>银行转账</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="141"/>
        <source>store credit</source>
        <translation>门店储值</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="1064"/>
        <source>You may not authorize returns; a supervisor authorizes it.</source>
        <translation>您没有批准退货的权限；由主管批准。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="363"/>
        <source>&amp;Find sale ({key})</source>
        <translation>查找订单(&amp;F)（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="364"/>
        <source>Order number, receipt barcode, phone or customer name</source>
        <translation>订单号、小票条码、电话或顾客姓名</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="366"/>
        <source>Type or scan, then Enter ({key}). Phone: the whole number or its last 4 digits.</source>
        <translation>输入或扫描后按回车（{key}）。电话：完整号码或后 4 位。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="367"/>
        <source>Find</source>
        <translation>查找</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="368"/>
        <source>No receipt ({key})</source>
        <translation>无小票（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="370"/>
        <source>The customer has the item but no receipt, and no sale can be found: store credit at the lowest recent price, with a supervisor&apos;s sign-off</source>
        <translation>顾客有商品但没有小票，且找不到销售记录：按近期最低售价退储值，需主管授权</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="372"/>
        <source>Find the sale (Enter)</source>
        <translation>查找订单（回车）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="373"/>
        <source>Several sales match: choose one with the arrow keys and Enter</source>
        <translation>有多个订单符合：用方向键选择后按回车</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="374"/>
        <source>Sale</source>
        <translation>订单</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="375"/>
        <source>Customer</source>
        <translation>顾客</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="375"/>
        <source>Order</source>
        <translation>订单号</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="375"/>
        <source>Bought at</source>
        <translation>购买渠道</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="376"/>
        <source>Sold</source>
        <translation>销售日期</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="376"/>
        <source>Delivered</source>
        <translation>签收日期</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="376"/>
        <source>Paid</source>
        <translation>实付</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="380"/>
        <source>Choose the line with the arrow keys; Enter edits it. Next/previous line: {next} / {previous}</source>
        <translation>用方向键选择商品行，回车编辑。下一行/上一行：{next} / {previous}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="382"/>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="879"/>
        <source>Issue the RMA ({key})</source>
        <translation>开具退货单（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="383"/>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="385"/>
        <source>New return ({key})</source>
        <translation>新退货（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="384"/>
        <source>Start again with an empty form ({key})</source>
        <translation>清空表单重新开始（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="386"/>
        <source>Take the next return ({key})</source>
        <translation>受理下一笔退货（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="472"/>
        <source>{code} is not an item of order {order}.</source>
        <translation>{code} 不是订单 {order} 中的商品。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="481"/>
        <source>All {count} returnable units of {item} are on the return already.</source>
        <translation>{item} 的 {count} 件可退数量已全部在本次退货中。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="510"/>
        <source>Type the order number, scan the receipt, or type the customer&apos;s phone or name.</source>
        <translation>请输入订单号、扫描小票，或输入顾客电话或姓名。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="512"/>
        <source>Looking for “{query}”…</source>
        <translation>正在查找“{query}”…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="523"/>
        <source>No sale found for “{query}”. Check the number on the receipt, or search by phone or name.</source>
        <translation>没有找到“{query}”的订单。请核对小票上的号码，或按电话、姓名查找。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="535"/>
        <source>{count} sales match “{query}”: choose one with the arrow keys and Enter.</source>
        <translation>有 {count} 个订单符合“{query}”：用方向键选择后按回车。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="550"/>
        <source>Opening {order}…</source>
        <translation>正在打开 {order}…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="561"/>
        <source>{order}: {count} units can still be returned.</source>
        <translation>{order}：还有 {count} 件可退。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="563"/>
        <source>{order}: every unit of this sale is returned or in process already.</source>
        <translation>{order}：此订单的商品已全部退回或正在处理。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="608"/>
        <source>{name} · {phone}</source>
        <translation>{name} · {phone}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="611"/>
        <source>No customer on the sale</source>
        <translation>订单上没有顾客信息</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="618"/>
        <source>Taken at the shop</source>
        <translation>门店自提</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="618"/>
        <source>Not delivered yet</source>
        <translation>尚未签收</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="620"/>
        <source>{amount} by {method}</source>
        <translation>{amount}（{method}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="627"/>
        <source>Earlier returns of this order: {rmas}</source>
        <translation>此订单以前的退货：{rmas}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="629"/>
        <source>and {count} more</source>
        <translation>等另外 {count} 笔</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="658"/>
        <source>Store credit of this customer: {amount}</source>
        <translation>该顾客的门店储值余额：{amount}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="689"/>
        <source>{number}: {name}</source>
        <translation>{number} 行：{name}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="786"/>
        <source>Find the sale first: type or scan the order number ({key}).</source>
        <translation>请先查找订单：输入或扫描订单号（{key}）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="791"/>
        <source>Set the quantity the customer returns on at least one line.</source>
        <translation>请至少在一个商品行填写顾客退回的数量。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="795"/>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="1024"/>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="799"/>
        <source>Choose the reason for line {lines}.</source>
        <translation>请选择第 {lines} 行的退货原因。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="804"/>
        <source>Line {lines} cannot be returned: set its quantity to 0.</source>
        <translation>第 {lines} 行不能退货：请把数量改为 0。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="809"/>
        <source>Line {lines} is outside the policy: only a supervisor can accept it. Ask a supervisor to take over, or set the line&apos;s quantity to 0.</source>
        <translation>第 {lines} 行不符合退货政策：只有主管可以特批。请主管接手，或把该行数量改为 0。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="812"/>
        <source>Line {lines} is outside the policy: write the override reason.</source>
        <translation>第 {lines} 行不符合退货政策：请填写特批理由。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="819"/>
        <source>Line {lines}: scan or type the serial number of each unit returned; it is checked against the sale before the return is taken.</source>
        <translation>第 {lines} 行：请扫描或输入每件退回商品的序列号；受理退货前会与销售记录核对。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="842"/>
        <source>Cash is paid out at the counter only: choose another refund method for a remote return.</source>
        <translation>现金只能在柜台支付：远程退货请选择其他退款方式。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="877"/>
        <source>Take the return ({key})</source>
        <translation>受理退货（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="884"/>
        <source>Receive the goods now; refunded on the spot when the policy allows ({key})</source>
        <translation>现在收货；政策允许时当场退款（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="886"/>
        <source>Issue and authorize the RMA; then print the return label ({key})</source>
        <translation>开具并批准退货单，然后打印退货标签（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="980"/>
        <source>Accept the lines outside the policy: “{reason}”.</source>
        <translation>受理不符合政策的商品行：“{reason}”。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="1025"/>
        <source>The return was not saved; see line {lines}.</source>
        <translation>退货未保存；请查看第 {lines} 行。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="1026"/>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="1031"/>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="1036"/>
        <source>The return was not saved.</source>
        <translation>退货未保存。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="1046"/>
        <source>RMA issued</source>
        <translation>已开具退货单</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="1050"/>
        <source>Authorized: the customer sends the goods by {date}</source>
        <translation>已批准：顾客须在 {date} 前寄回商品</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="1052"/>
        <source>Authorized: the customer sends the goods</source>
        <translation>已批准：等待顾客寄回商品</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="1054"/>
        <source>Print the return label ({key}) and give or send it to the customer; it goes on the parcel. The refund is paid when the goods have been inspected.</source>
        <translation>打印退货标签（{key}）交给或发给顾客，贴在包裹上。商品检验后退款。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="1057"/>
        <source>Requested: waiting for authorization</source>
        <translation>已申请：等待批准</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="1058"/>
        <source>A supervisor authorizes the request; then print the return label ({key}).</source>
        <translation>由主管批准申请后，再打印退货标签（{key}）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="1059"/>
        <source>Order {order}; expected refund {amount} by {method}.</source>
        <translation>订单 {order}；预计退款 {amount}，退至{method}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="1065"/>
        <source>Not authorized: {reason}</source>
        <translation>未批准：{reason}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="1068"/>
        <source>Walk-in return</source>
        <translation>到店退货</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="1073"/>
        <source>Refunded {amount} by {method}</source>
        <translation>已退款 {amount}（{method}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="1076"/>
        <source>Refund {refund}, credit note {note}. The goods were received and inspected at the counter.</source>
        <translation>退款单 {refund}，贷项通知单 {note}。商品已在柜台收货并检验。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="1078"/>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="1257"/>
        <source>Print the counter receipt ({key}) and ask the customer to sign it.</source>
        <translation>打印柜台回执（{key}），请顾客签字。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="1082"/>
        <source>Waiting for {level} approval: {amount}</source>
        <translation>等待{level}审批：{amount}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="1083"/>
        <source>Why: {reasons}</source>
        <translation>原因：{reasons}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="1085"/>
        <source>Print the return label ({key}) for the goods and keep them at the counter; the customer is refunded by {method} once a {level} approves.</source>
        <translation>为商品打印退货标签（{key}）并留在柜台；{level}审批后按{method}退款给顾客。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="1090"/>
        <source>Approved for {amount}, not paid out yet</source>
        <translation>已批准 {amount}，尚未付款</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="1092"/>
        <source>A supervisor pays it out from the return&apos;s page. Print the return label ({key}) for the goods.</source>
        <translation>由主管在退货单页面付款。请为商品打印退货标签（{key}）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="1096"/>
        <source>Received at the counter</source>
        <translation>已在柜台收货</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="1098"/>
        <source>Print the return label ({key}) and put the goods in the inspection area.</source>
        <translation>打印退货标签（{key}），把商品放到质检区。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="1107"/>
        <source>Next</source>
        <translation>下一步</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="1110"/>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="1256"/>
        <source>Print counter receipt ({key})</source>
        <translation>打印柜台回执（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="1112"/>
        <source>Print return label ({key})</source>
        <translation>打印退货标签（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="1113"/>
        <source>Print it on this station&apos;s printer ({key})</source>
        <translation>用本工位的打印机打印（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="1117"/>
        <source>Supervisor sign-off ({key})</source>
        <translation>主管授权（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="1120"/>
        <source>A supervisor approves it here with their password or badge; then the customer is refunded</source>
        <translation>主管在此用密码或工牌授权批准，随后给顾客退款</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="1122"/>
        <source>Choose the replacement ({key})</source>
        <translation>选择换货商品（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="1125"/>
        <source>The customer asked for an exchange: pick the replacement goods and settle the difference</source>
        <translation>顾客要求换货：选择换货商品并结算差价</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="1127"/>
        <source>Approved for an exchange worth {amount}</source>
        <translation>已批准换货，价值 {amount}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="1131"/>
        <source>The customer asked for an exchange, so nothing is refunded. Choose the replacement goods now; if the customer changed their mind, record it in the exchange window.</source>
        <translation>顾客要求换货，因此不退款。请现在选择换货商品；如顾客改变主意，请在换货窗口中登记。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="1134"/>
        <source>Choose the replacement ({key}); print the counter receipt afterwards.</source>
        <translation>选择换货商品（{key}），之后打印柜台收据。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="1145"/>
        <source>{quantity} × {name} ({sku}) · {reason} · {amount}</source>
        <translation>{quantity} × {name}（{sku}）· {reason} · {amount}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="1201"/>
        <location filename="../../desktop/returndesk/ui/screenshots.py" line="514"/>
        <source>Refund of {amount} for {rma}. {reasons}</source>
        <extracomment>Where the pictures show printed PDF files and a file to import (instead of the temporary folder they are made in). A product file as a Chinese shop&apos;s ERP exports it: its own headers, in its own order (GB18030).</extracomment>
        <translation>{rma} 退款 {amount}。{reasons}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="1243"/>
        <source>Exchanged: {order}</source>
        <translation>已换货：{order}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="1246"/>
        <source>The customer paid {amount}.</source>
        <translation>顾客已补差价 {amount}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="1248"/>
        <source>Refunded {amount}.</source>
        <translation>已退还 {amount}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="1250"/>
        <source>Even exchange.</source>
        <translation>等价换货。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="1251"/>
        <source>The replacement is shipped with a packing slip.</source>
        <translation>换货商品随发货单寄出。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="1252"/>
        <source>The replacement was handed over.</source>
        <translation>换货商品已当面交付。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="1267"/>
        <source>Refunding {rma}…</source>
        <translation>正在为 {rma} 退款…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="1298"/>
        <source>Printing…</source>
        <translation>正在打印…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="1335"/>
        <source>Not printed: the preview was closed.</source>
        <translation>未打印：已关闭打印预览。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="1345"/>
        <source>Printed again (reprint {count}): {where}</source>
        <translation>已重印（第 {count} 次重印）：{where}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="1349"/>
        <source>Printed: {where}</source>
        <translation>已打印：{where}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="1356"/>
        <source>The document could not be printed ({reason}); check the printer or the folder, then print again.</source>
        <translation>单据未能打印（{reason}）；请检查打印机或文件夹后重新打印。</translation>
    </message>
</context>
<context>
    <name>CounterVerdict</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/models.py" line="67"/>
        <source>original packaging</source>
        <extracomment>(background, text) of a verdict: green within policy, amber needs an override, red refused. Words for the condition codes the policy can require (``domain.policy.CONDITION_LABELS``).</extracomment>
        <translation>原包装</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/models.py" line="68"/>
        <source>tags attached</source>
        <translation>吊牌完好</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/models.py" line="69"/>
        <source>accessories complete</source>
        <translation>配件齐全</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/models.py" line="70"/>
        <source>proof of purchase</source>
        <translation>购物凭证</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/models.py" line="71"/>
        <source>factory seal intact</source>
        <translation>原厂封条完好</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/models.py" line="133"/>
        <source>{status}: {reason}</source>
        <translation>{status}：{reason}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/models.py" line="171"/>
        <source>This product is marked as not returnable.</source>
        <extracomment>Set when no delivery is on record: the window runs from the sale plus this many days.</extracomment>
        <translation>此商品标记为不可退货。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/models.py" line="173"/>
        <source>{category} is a non-returnable category.</source>
        <translation>{category}属于不可退货品类。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/models.py" line="176"/>
        <source>Nothing left to return: every unit bought is returned or in process.</source>
        <translation>已无可退数量：所购商品已全部退回或正在处理。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/models.py" line="179"/>
        <source>{requested} requested, but only {returnable} can still be returned.</source>
        <translation>申请退 {requested} 件，但只剩 {returnable} 件可退。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/models.py" line="186"/>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/models.py" line="187"/>
        <source>Not confirmed: {conditions}.</source>
        <translation>未确认：{conditions}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/models.py" line="201"/>
        <source>No delivery date: counted from the sale plus {transit} days in transit, {days} days ago; {window} days allowed.</source>
        <translation>无签收日期：自销售日起加 {transit} 天运输期计算，已过 {days} 天；允许 {window} 天。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/models.py" line="205"/>
        <source>Not delivered yet; {window} days allowed from delivery.</source>
        <translation>尚未签收；自签收起 {window} 天内可退。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/models.py" line="209"/>
        <source>Sold today</source>
        <translation>今天售出</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/models.py" line="211"/>
        <source>Sold yesterday</source>
        <translation>昨天售出</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/models.py" line="213"/>
        <source>Sold {days} days ago</source>
        <translation>{days} 天前售出</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/models.py" line="215"/>
        <source>Delivered today</source>
        <translation>今天签收</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/models.py" line="217"/>
        <source>Delivered yesterday</source>
        <translation>昨天签收</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/models.py" line="219"/>
        <source>Delivered {days} days ago</source>
        <translation>{days} 天前签收</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/models.py" line="221"/>
        <source>{window} days allowed for vendor faults.</source>
        <translation>质量等商家原因可退期 {window} 天。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/models.py" line="224"/>
        <source>{window} days allowed.</source>
        <translation>可退期 {window} 天。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/models.py" line="225"/>
        <source>{elapsed}; {allowed}</source>
        <translation>{elapsed}；{allowed}</translation>
    </message>
</context>
<context>
    <name>Disposition</name>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="217"/>
        <source>Restock</source>
        <translation>重新上架</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="218"/>
        <source>Refurbish</source>
        <translation>送修翻新</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="219"/>
        <source>Return to vendor</source>
        <translation>退回供应商</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="220"/>
        <source>Scrap</source>
        <translation>报废</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="221"/>
        <source>Return to customer</source>
        <translation>退回客户</translation>
    </message>
</context>
<context>
    <name>DocumentType</name>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="281"/>
        <source>Return label</source>
        <translation>退货标签</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="282"/>
        <source>Counter receipt</source>
        <translation>柜台回执</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="283"/>
        <source>Item tag</source>
        <translation>商品标签</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="284"/>
        <source>Credit note</source>
        <translation>贷项通知单</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="285"/>
        <source>Command sheet</source>
        <translation>指令表</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="286"/>
        <source>Packing slip</source>
        <translation>发货单</translation>
    </message>
</context>
<context>
    <name>DocumentsTableModel</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/models.py" line="174"/>
        <source>Document</source>
        <translation>单据</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/models.py" line="174"/>
        <source>Reference</source>
        <translation>编号</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/models.py" line="174"/>
        <source>Printed</source>
        <translation>已打印</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/models.py" line="189"/>
        <source>{document} — unit {number} ({sku})</source>
        <translation>{document} — 第 {number} 件（{sku}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/models.py" line="196"/>
        <source>not yet</source>
        <translation>尚未打印</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/returndesk/ui/screens/return_detail/models.py" line="197"/>
        <source>%n copy(ies); the next is a reprint</source>
        <translation>
            <numerusform>已打印 %n 份；下一份为补打</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ErrorDialog</name>
    <message>
        <location filename="../../desktop/returndesk/ui/errors.py" line="219"/>
        <source>Copy details</source>
        <translation>复制详细信息</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/errors.py" line="233"/>
        <source>Details copied</source>
        <translation>已复制详细信息</translation>
    </message>
</context>
<context>
    <name>ErrorPresenter</name>
    <message>
        <location filename="../../desktop/returndesk/ui/errors.py" line="75"/>
        <location filename="../../desktop/returndesk/ui/errors.py" line="81"/>
        <source>ReturnDesk</source>
        <translation>ReturnDesk</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/errors.py" line="83"/>
        <source>Something went wrong while {action}; nothing was saved.</source>
        <translation>{action}时出错，未保存任何内容。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/errors.py" line="87"/>
        <source>Something went wrong; nothing was saved.</source>
        <translation>出错了，未保存任何内容。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/errors.py" line="88"/>
        <source>ReturnDesk: unexpected error</source>
        <translation>ReturnDesk：意外错误</translation>
    </message>
</context>
<context>
    <name>ExchangeDialog</name>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="365"/>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="508"/>
        <source>Exchange {rma}</source>
        <translation>换货 {rma}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="366"/>
        <source>&amp;Find goods:</source>
        <translation>查找商品(&amp;F)：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="367"/>
        <source>Scan or type a barcode, SKU or part of the name</source>
        <translation>扫描或输入条码、SKU 或部分品名</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="368"/>
        <source>Find</source>
        <translation>查找</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="369"/>
        <source>Add to the replacement (Enter)</source>
        <translation>加入换货（回车）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="370"/>
        <source>Replacement</source>
        <translation>换货商品</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="371"/>
        <source>Remove (Del)</source>
        <translation>移除（Del）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="372"/>
        <source>Customer &amp;pays by:</source>
        <translation>顾客付款方式(&amp;P)：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="373"/>
        <source>&amp;Refund by:</source>
        <translation>退款方式(&amp;R)：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="374"/>
        <source>Goods:</source>
        <translation>交付：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="375"/>
        <source>&amp;Hand over now</source>
        <translation>当面交付(&amp;H)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="376"/>
        <source>&amp;Ship later (packing slip)</source>
        <translation>稍后发货（发货单）(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="377"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="378"/>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="379"/>
        <source>Print packing slip ({key})</source>
        <translation>打印发货单（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="381"/>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="383"/>
        <source>Product</source>
        <translation>商品</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="381"/>
        <source>SKU</source>
        <translation>SKU</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="381"/>
        <source>Size / colour</source>
        <translation>尺码/颜色</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="381"/>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="383"/>
        <source>Price</source>
        <translation>单价</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="381"/>
        <source>Available</source>
        <translation>可用库存</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="383"/>
        <source>Quantity</source>
        <translation>数量</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="383"/>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="421"/>
        <source>Opening {rma}…</source>
        <translation>正在打开 {rma}…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="441"/>
        <source>opening the return</source>
        <translation>打开退货单</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="464"/>
        <source>Found: {count}</source>
        <translation>找到 {count} 件商品</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="465"/>
        <source>What the customer brought back, and its other sizes and colours</source>
        <translation>顾客退回的商品及其其他尺码和颜色</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="513"/>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="573"/>
        <source>Exchange ({key})</source>
        <translation>换货（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="516"/>
        <source>Walk-in customer</source>
        <translation>到店顾客</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="517"/>
        <source>Exchange {rma} · {customer}</source>
        <translation>换货 {rma} · {customer}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="524"/>
        <source>asks for an exchange</source>
        <translation>要求换货</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="526"/>
        <source>changed their mind: refund</source>
        <translation>已改为退款</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="528"/>
        <source>refund</source>
        <translation>退款</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="529"/>
        <source>{quantity} × {name} ({sku}) · {amount} · {how}</source>
        <translation>{quantity} × {name}（{sku}）· {amount} · {how}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="538"/>
        <source>Press again to confirm: refund instead of exchange</source>
        <translation>再按一次确认：改为退款</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="539"/>
        <source>Customer wants the money back</source>
        <translation>顾客改为退款</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="541"/>
        <source>The customer changed their mind at the counter: the exchange lines become refund lines (recorded with your name and the time).</source>
        <translation>顾客在柜台改变主意：换货行改为退款行（记录经办人和时间）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="546"/>
        <source>Replacement: {amount}</source>
        <translation>换货商品：{amount}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="547"/>
        <source>Credit from the returned goods: {amount}</source>
        <translation>退回商品抵扣：{amount}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="552"/>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="637"/>
        <source>Choose the replacement goods.</source>
        <translation>请选择换货商品。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="554"/>
        <source>The customer pays {amount}</source>
        <translation>顾客补差价 {amount}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="557"/>
        <source>The shop refunds {amount}</source>
        <translation>门店退还 {amount}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="560"/>
        <source>Even exchange: nothing to pay</source>
        <translation>等价换货：无需补退</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="570"/>
        <source>Take {amount} and exchange ({key})</source>
        <translation>收款 {amount} 并换货（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="583"/>
        <source>reserved, not handed over yet</source>
        <translation>已预留，尚未交付</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="583"/>
        <source>handed over</source>
        <translation>已交付</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="584"/>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="586"/>
        <source>Replacement {order}: {value}, {state}.</source>
        <translation>换货单 {order}：{value}，{state}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="589"/>
        <source>Delivery: {how}.</source>
        <translation>交付方式：{how}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="592"/>
        <source>The customer still owes {amount}.</source>
        <translation>顾客尚欠 {amount}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="596"/>
        <source>Collect {amount}</source>
        <translation>收款 {amount}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="598"/>
        <source>Handed over / shipped</source>
        <translation>已交付/已发货</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="600"/>
        <source>The replacement left the shop: handed to the customer, or shipped with its packing slip</source>
        <translation>换货商品已出店：当面交给顾客，或随发货单寄出</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="626"/>
        <source>Replacement {order} saved.</source>
        <translation>换货单 {order} 已保存。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="633"/>
        <source>The return is not loaded yet.</source>
        <translation>退货单尚未载入。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="635"/>
        <source>This return cannot be exchanged.</source>
        <translation>该退货单不能换货。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="640"/>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="715"/>
        <source>Only {count} of {name} are available.</source>
        <translation>{name} 仅有 {count} 件可用。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="679"/>
        <source>Looking for “{text}”…</source>
        <translation>正在查找“{text}”…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="690"/>
        <source>No product matches “{text}”. Check the code, or search by name.</source>
        <translation>没有与“{text}”匹配的商品。请核对编码，或按品名查找。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="703"/>
        <source>finding the goods</source>
        <translation>查找商品</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="721"/>
        <source>{name} is not available; choose another size or product.</source>
        <translation>{name} 无可用库存；请选择其他尺码或商品。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="726"/>
        <source>{name} added.</source>
        <translation>已加入 {name}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="794"/>
        <source>Recorded: the customer wants the money back; {rma} can now be refunded.</source>
        <translation>已登记：顾客改为退款；{rma} 现在可以退款。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="815"/>
        <source>Exchanging…</source>
        <translation>正在换货…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="826"/>
        <source>exchanging the return</source>
        <translation>办理换货</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="844"/>
        <source>Exchanged: {order}</source>
        <translation>已换货：{order}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="846"/>
        <source>Return {rma} is exchanged for goods worth {value}; the returned goods brought {credit}.</source>
        <translation>退货单 {rma} 已换成价值 {value} 的商品；退回商品抵扣 {credit}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="850"/>
        <source>The customer paid {amount} by {method}.</source>
        <translation>顾客已用{method}补差价 {amount}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="854"/>
        <source>Refunded {amount} by {method} ({refund}).</source>
        <translation>已按{method}退还 {amount}（{refund}）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="859"/>
        <source>The goods are reserved and shipped later: print the packing slip for the parcel.</source>
        <translation>商品已预留，稍后发货：请为包裹打印发货单。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="861"/>
        <source>The goods were handed over at the counter.</source>
        <translation>商品已在柜台当面交付。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="863"/>
        <source>{quantity} × {name} ({sku}) · {amount}</source>
        <translation>{quantity} × {name}（{sku}）· {amount}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="867"/>
        <source>Replacement goods:</source>
        <translation>换货商品：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="880"/>
        <source>Printing…</source>
        <translation>正在打印…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="888"/>
        <source>Printed again (reprint {count}): {where}</source>
        <translation>已重印（第 {count} 次重印）：{where}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="891"/>
        <source>Printed: {where}</source>
        <translation>已打印：{where}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="897"/>
        <source>printing the packing slip</source>
        <translation>打印发货单</translation>
    </message>
</context>
<context>
    <name>FeedbackBar</name>
    <message>
        <location filename="../../desktop/returndesk/ui/feedback.py" line="331"/>
        <source>Ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/feedback.py" line="333"/>
        <source>{message} (×{count})</source>
        <translation>{message}（第 {count} 次）</translation>
    </message>
</context>
<context>
    <name>FinanceModels</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/models.py" line="34"/>
        <source>Cash on hand</source>
        <extracomment>The chart of accounts in words (the domain names them in English).</extracomment>
        <translation>库存现金</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/models.py" line="35"/>
        <source>Bank deposits</source>
        <translation>银行存款</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/models.py" line="36"/>
        <source>Customer accounts</source>
        <translation>应收账款（顾客）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/models.py" line="37"/>
        <source>Inventory</source>
        <translation>库存商品</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/models.py" line="38"/>
        <source>Cash over and short (pending)</source>
        <translation>待处理财产损溢（现金长短款）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/models.py" line="39"/>
        <source>Store-credit liability</source>
        <translation>门店储值负债</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/models.py" line="40"/>
        <source>VAT output tax payable</source>
        <translation>应交增值税（销项税额）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/models.py" line="41"/>
        <source>Sales returns and allowances</source>
        <translation>销售退回与折让</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/models.py" line="42"/>
        <source>Shipping charges refunded</source>
        <translation>退还运费</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/models.py" line="43"/>
        <source>Sales revenue</source>
        <translation>主营业务收入</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/models.py" line="44"/>
        <source>Restocking-fee income</source>
        <translation>重新上架费收入</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/models.py" line="45"/>
        <source>Cost of goods sold</source>
        <translation>主营业务成本</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/models.py" line="112"/>
        <source>Refund</source>
        <translation>退款单号</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/models.py" line="113"/>
        <location filename="../../desktop/returndesk/ui/screens/finance/models.py" line="129"/>
        <source>Issued</source>
        <translation>开具时间</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/models.py" line="114"/>
        <location filename="../../desktop/returndesk/ui/screens/finance/models.py" line="130"/>
        <location filename="../../desktop/returndesk/ui/screens/finance/models.py" line="151"/>
        <source>RMA</source>
        <translation>退货单号</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/models.py" line="115"/>
        <location filename="../../desktop/returndesk/ui/screens/finance/models.py" line="131"/>
        <source>Order</source>
        <translation>订单号</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/models.py" line="116"/>
        <location filename="../../desktop/returndesk/ui/screens/finance/models.py" line="133"/>
        <source>Customer</source>
        <translation>顾客</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/models.py" line="117"/>
        <source>Method</source>
        <translation>退款方式</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/models.py" line="118"/>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/models.py" line="119"/>
        <location filename="../../desktop/returndesk/ui/screens/finance/models.py" line="128"/>
        <source>Credit note</source>
        <translation>贷项通知单</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/models.py" line="120"/>
        <source>Cash shift</source>
        <translation>收银班次</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/models.py" line="121"/>
        <location filename="../../desktop/returndesk/ui/screens/finance/models.py" line="171"/>
        <source>Station</source>
        <translation>工位</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/models.py" line="122"/>
        <source>Issued by</source>
        <translation>经办人</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/models.py" line="132"/>
        <source>Invoice</source>
        <translation>发票号码</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/models.py" line="134"/>
        <source>Net</source>
        <translation>不含税金额</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/models.py" line="135"/>
        <source>Tax</source>
        <translation>税额</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/models.py" line="136"/>
        <source>Total</source>
        <translation>合计</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/models.py" line="146"/>
        <source>Entry</source>
        <translation>凭证号</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/models.py" line="147"/>
        <source>Posted</source>
        <translation>记账时间</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/models.py" line="148"/>
        <source>Account</source>
        <translation>科目</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/models.py" line="149"/>
        <source>Debit</source>
        <translation>借方</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/models.py" line="150"/>
        <source>Credit</source>
        <translation>贷方</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/models.py" line="152"/>
        <source>Memo</source>
        <translation>摘要</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/models.py" line="158"/>
        <source>Open</source>
        <translation>未交班</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/models.py" line="159"/>
        <source>Closed</source>
        <translation>已交班</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/models.py" line="170"/>
        <source>Shift</source>
        <translation>班次</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/models.py" line="172"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/models.py" line="173"/>
        <source>Opened</source>
        <translation>开班时间</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/models.py" line="174"/>
        <source>Float</source>
        <translation>备用金</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/models.py" line="175"/>
        <source>Cash refunds</source>
        <translation>现金退款</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/models.py" line="177"/>
        <source>Expected</source>
        <translation>应有</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/models.py" line="178"/>
        <source>Counted</source>
        <translation>实点</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/models.py" line="179"/>
        <source>Difference</source>
        <translation>差额</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/models.py" line="180"/>
        <source>Closed by</source>
        <translation>交班人</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/models.py" line="181"/>
        <source>Note</source>
        <translation>说明</translation>
    </message>
</context>
<context>
    <name>FinanceScreen</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/screen.py" line="293"/>
        <source>Finance desk</source>
        <extracomment>``choose_path(suggested file name, filter) -&gt; chosen path or None`` (tests pass their own). Width of the totals and the return when they stand beside the lists.</extracomment>
        <translation>财务工作台</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/screen.py" line="294"/>
        <source>From</source>
        <translation>从</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/screen.py" line="295"/>
        <source>to</source>
        <translation>至</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/screen.py" line="296"/>
        <source>&amp;Show</source>
        <translation>查询(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/screen.py" line="297"/>
        <source>&amp;Export</source>
        <translation>导出(&amp;E)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/screen.py" line="298"/>
        <source>Refunds</source>
        <translation>退款</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/screen.py" line="298"/>
        <source>Journal lines</source>
        <translation>分录</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/screen.py" line="298"/>
        <source>Returns</source>
        <translation>退货单</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/screen.py" line="299"/>
        <source>Excel</source>
        <translation>Excel</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/screen.py" line="299"/>
        <source>CSV</source>
        <translation>CSV</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/screen.py" line="299"/>
        <source>JSON</source>
        <translation>JSON</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/screen.py" line="302"/>
        <source>Red-letter invoice data (Excel)…</source>
        <translation>红字发票数据（Excel）…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/screen.py" line="304"/>
        <source>{what} as {format}…</source>
        <translation>{what}（{format}）…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/screen.py" line="305"/>
        <source>&amp;Refunds</source>
        <translation>退款(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/screen.py" line="305"/>
        <source>&amp;Credit notes</source>
        <translation>贷项通知单(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/screen.py" line="305"/>
        <source>&amp;Journal</source>
        <translation>日记账(&amp;J)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/screen.py" line="306"/>
        <source>Cash &amp;shifts</source>
        <translation>收银班次(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/screen.py" line="311"/>
        <source>All methods</source>
        <translation>全部退款方式</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/screen.py" line="319"/>
        <source>All accounts</source>
        <translation>全部科目</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/screen.py" line="325"/>
        <source>Refund, RMA, order or credit note number, or customer name</source>
        <translation>退款单号、退货单号、订单号、贷项通知单号或顾客姓名</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/screen.py" line="327"/>
        <source>Credit note, RMA, order or invoice number, or customer name</source>
        <translation>贷项通知单号、退货单号、订单号、发票号码或顾客姓名</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/screen.py" line="328"/>
        <source>Shift &amp;report (PDF)…</source>
        <translation>班次报表 PDF(&amp;R)…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/screen.py" line="329"/>
        <source>Totals of the period</source>
        <translation>期间合计</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/screen.py" line="330"/>
        <source>Return</source>
        <translation>退货单</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/screen.py" line="331"/>
        <source>Account</source>
        <translation>科目</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/screen.py" line="331"/>
        <source>Debit</source>
        <translation>借方</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/screen.py" line="331"/>
        <source>Credit</source>
        <translation>贷方</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/screen.py" line="337"/>
        <source>Double-click a row to see its return.</source>
        <translation>双击一行查看对应的退货单。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/screen.py" line="354"/>
        <source>The period starts after it ends; swap the dates.</source>
        <translation>开始日期晚于结束日期，请对调两个日期。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/returndesk/ui/screens/finance/screen.py" line="404"/>
        <source>%n refund(s), {amount} in all</source>
        <translation>
            <numerusform>共 %n 笔退款，合计 {amount}</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/returndesk/ui/screens/finance/screen.py" line="406"/>
        <source>• {method}: %n refund(s), {amount}</source>
        <translation>
            <numerusform>• {method}：%n 笔，{amount}</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/returndesk/ui/screens/finance/screen.py" line="408"/>
        <source>%n credit note(s): net {net}, tax {tax}, total {total}</source>
        <translation>
            <numerusform>%n 张贷项通知单：不含税 {net}，税额 {tax}，合计 {total}</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/screen.py" line="414"/>
        <source>Total</source>
        <translation>合计</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/screen.py" line="438"/>
        <source>{rma} — {status}
Order {order}, {customer}
Refund {refund} (deductions {deductions})</source>
        <translation>{rma} — {status}
订单 {order}，{customer}
退款 {refund}（扣减 {deductions}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/screen.py" line="440"/>
        <source>no customer</source>
        <translation>无顾客信息</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/screen.py" line="447"/>
        <source>Save as</source>
        <translation>另存为</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/screen.py" line="453"/>
        <source>Making the file…</source>
        <translation>正在生成文件…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/screen.py" line="461"/>
        <source>Nothing was saved.</source>
        <translation>未保存任何文件。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/screen.py" line="466"/>
        <source>Cannot write {path}: {reason}. Choose another place.</source>
        <translation>无法写入 {path}：{reason}。请选择其他位置。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/returndesk/ui/screens/finance/screen.py" line="470"/>
        <source>%n row(s) saved to {path}.</source>
        <translation>
            <numerusform>已将 %n 行保存到 {path}。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/screen.py" line="479"/>
        <source>Choose a cash shift first.</source>
        <translation>请先选择一个收银班次。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/screen.py" line="490"/>
        <source>Shift report saved to {path}.</source>
        <translation>班次报表已保存到 {path}。</translation>
    </message>
</context>
<context>
    <name>FirstAdministratorDialog</name>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/first_admin.py" line="78"/>
        <source>Create the administrator</source>
        <translation>创建管理员</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/first_admin.py" line="80"/>
        <source>Nobody can sign in to this database yet. Create its administrator, who then adds the other users and sets their roles and limits.</source>
        <translation>此数据库还没有可以登录的用户。请创建管理员，再由管理员添加其他用户，并设置他们的角色和限额。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/first_admin.py" line="82"/>
        <source>&amp;User name:</source>
        <translation>用户名(&amp;U)：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/first_admin.py" line="82"/>
        <source>&amp;Full name:</source>
        <translation>姓名(&amp;F)：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/first_admin.py" line="83"/>
        <source>&amp;Password:</source>
        <translation>密码(&amp;P)：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/first_admin.py" line="83"/>
        <source>&amp;Repeat password:</source>
        <translation>确认密码(&amp;R)：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/first_admin.py" line="85"/>
        <source>at least {n} characters</source>
        <translation>至少 {n} 个字符</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/first_admin.py" line="96"/>
        <source>Enter a user name.</source>
        <translation>请输入用户名。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/first_admin.py" line="99"/>
        <source>The password must have at least {n} characters.</source>
        <translation>密码至少需要 {n} 个字符。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/first_admin.py" line="102"/>
        <source>The two passwords differ; type the same password twice.</source>
        <translation>两次输入的密码不一致，请输入相同的密码。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/first_admin.py" line="119"/>
        <source>creating the administrator</source>
        <translation>创建管理员</translation>
    </message>
</context>
<context>
    <name>FirstStartDialog</name>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/first_start.py" line="193"/>
        <source>Set up this station</source>
        <translation>设置本工位</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/first_start.py" line="199"/>
        <source>Other &amp;file…</source>
        <translation>其他文件(&amp;F)…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/first_start.py" line="200"/>
        <source>Keep the local database in another file</source>
        <translation>把本地数据库保存在其他文件中</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/first_start.py" line="201"/>
        <source>Fill a new database with &amp;demo data (users, products, sales, returns)</source>
        <translation>在新数据库中填入演示数据（用户、商品、销售、退货）(&amp;D)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/first_start.py" line="209"/>
        <source>&amp;Test connection</source>
        <translation>测试连接(&amp;T)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/first_start.py" line="195"/>
        <source>Choose where this station keeps its data. This computer needs nothing else; several stations work together through a ReturnDesk server.</source>
        <translation>请选择本工位的数据存放位置。存放在本机无需其他设置；多个工位通过 ReturnDesk 服务器协同工作。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/first_start.py" line="197"/>
        <source>Data</source>
        <translation>数据</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/first_start.py" line="198"/>
        <source>&amp;This computer (a local file; for one station)</source>
        <translation>本机（本地文件，适用于单个工位）(&amp;T)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/first_start.py" line="202"/>
        <source>A ReturnDesk &amp;server (several stations)</source>
        <translation>ReturnDesk 服务器（多个工位）(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/first_start.py" line="203"/>
        <source>&amp;Address:</source>
        <translation>地址(&amp;A)：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/first_start.py" line="204"/>
        <source>https://returns.example.lan:8443</source>
        <translation>https://returns.example.lan:8443</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/first_start.py" line="206"/>
        <source>Users sign in at the server with their own name and password; this station keeps no database password. On the first connection the station shows the server certificate&apos;s fingerprint: compare it with the one the administrator got from &apos;returndesk server init&apos;.</source>
        <translation>用户用自己的用户名和密码在服务器上登录；本工位不保存任何数据库密码。首次连接时，工位会显示服务器证书的指纹：请与管理员运行“returndesk server init”时得到的指纹核对。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/first_start.py" line="210"/>
        <source>Reach the server once and report what happened (Alt+T)</source>
        <translation>连接服务器一次并报告结果（Alt+T）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/first_start.py" line="211"/>
        <source>This station</source>
        <translation>本工位</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/first_start.py" line="213"/>
        <source>Station &amp;profile:</source>
        <translation>工位类型(&amp;P)：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/first_start.py" line="213"/>
        <source>Station &amp;name:</source>
        <translation>工位名称(&amp;N)：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/first_start.py" line="213"/>
        <source>Lan&amp;guage:</source>
        <translation>语言(&amp;G)：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/first_start.py" line="214"/>
        <source>&amp;Time zone:</source>
        <translation>时区(&amp;T)：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/first_start.py" line="217"/>
        <source>Return windows count the calendar days of this zone; screens and documents show its time</source>
        <translation>退货期限按此时区的日历日计算；界面和单据显示此时区的时间</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/first_start.py" line="220"/>
        <source>Chooses the screen shown after sign-in</source>
        <translation>决定登录后显示的界面</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/first_start.py" line="221"/>
        <source>Recorded in the audit trail and the print log</source>
        <translation>记录在审计日志和打印日志中</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/first_start.py" line="284"/>
        <source>Local database file</source>
        <translation>本地数据库文件</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/first_start.py" line="285"/>
        <source>ReturnDesk database (*.sqlite3);;All files (*)</source>
        <translation>ReturnDesk 数据库 (*.sqlite3);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/first_start.py" line="297"/>
        <source>Connecting to {address}…</source>
        <translation>正在连接 {address}…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/first_start.py" line="308"/>
        <source>Reached ReturnDesk server {version} at {address}. Its certificate is self-signed; when the station connects you confirm its fingerprint:
{fingerprint}</source>
        <translation>已连接到 {address} 上的 ReturnDesk 服务器 {version}。其证书为自签名证书；工位连接时需要您确认其指纹：
{fingerprint}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/first_start.py" line="312"/>
        <source>Reached ReturnDesk server {version} at {address}; its certificate is signed by a certificate authority this computer trusts.</source>
        <translation>已连接到 {address} 上的 ReturnDesk 服务器 {version}；其证书由本机信任的证书颁发机构签发。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/first_start.py" line="316"/>
        <source>Reached ReturnDesk server {version} at {address} on this computer (without encryption).</source>
        <translation>已连接到本机 {address} 上的 ReturnDesk 服务器 {version}（未加密）。</translation>
    </message>
</context>
<context>
    <name>Fulfilment</name>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="297"/>
        <source>Handed over at the counter</source>
        <translation>柜台当面交付</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="298"/>
        <source>Shipped to the customer</source>
        <translation>寄送给顾客</translation>
    </message>
</context>
<context>
    <name>Grade</name>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="210"/>
        <source>A: new, resealable</source>
        <translation>A：全新，可重新封装</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="211"/>
        <source>B: opened, like new</source>
        <translation>B：已拆封，如新</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="212"/>
        <source>C: used or cosmetically damaged</source>
        <translation>C：使用过或外观损伤</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="213"/>
        <source>D: defective or unusable</source>
        <translation>D：有故障或无法使用</translation>
    </message>
</context>
<context>
    <name>HelpWindow</name>
    <message>
        <location filename="../../desktop/returndesk/ui/help.py" line="250"/>
        <source>The user guide is not installed with this copy of ReturnDesk. Reinstall the program, or read the guide that came with it.</source>
        <extracomment>The language the guide is written in; the others are translations of it. The language changed while the window was closed: its guide is loaded again when opened.</extracomment>
        <translation>此份 ReturnDesk 未安装用户指南。请重新安装程序，或阅读随程序提供的指南。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/help.py" line="257"/>
        <source>ReturnDesk user guide</source>
        <translation>ReturnDesk 用户指南</translation>
    </message>
</context>
<context>
    <name>ImportWizard</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/wizard.py" line="112"/>
        <source>Import data</source>
        <extracomment>How often the import page asks how far the import is (milliseconds). The wizard&apos;s section of the user guide (F1).</extracomment>
        <translation>导入数据</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/wizard.py" line="131"/>
        <source>reading the file</source>
        <translation>读取文件</translation>
    </message>
</context>
<context>
    <name>InspectionLinesTableModel</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/models.py" line="189"/>
        <source>Line</source>
        <extracomment>Row colours: the line of the unit scanned last (ok / not ok), a line that is done, wrong items.</extracomment>
        <translation>行</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/models.py" line="189"/>
        <source>Item</source>
        <translation>商品</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/models.py" line="189"/>
        <source>Scanned</source>
        <translation>已扫描</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/models.py" line="189"/>
        <source>Accepted</source>
        <translation>已接收</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/models.py" line="189"/>
        <source>Grade</source>
        <translation>等级</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/models.py" line="190"/>
        <source>Disposition</source>
        <translation>处置</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/models.py" line="190"/>
        <source>Next unit</source>
        <translation>下一件</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/models.py" line="190"/>
        <source>Policy</source>
        <translation>政策</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/models.py" line="194"/>
        <source>The grade and disposition the next unit of the line gets</source>
        <translation>本行下一件商品将获得的等级和处置</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/models.py" line="196"/>
        <source>Units counted against the line of those it expects, and units over that</source>
        <translation>本行已清点件数/应到件数，以及超出的件数</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/models.py" line="229"/>
        <source>{counted} / {expected}</source>
        <translation>{counted} / {expected}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/models.py" line="232"/>
        <source>{counted} +{over} over</source>
        <translation>{counted}，多 {over}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/models.py" line="234"/>
        <source>{counted} (short)</source>
        <translation>{counted}（短少）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/models.py" line="256"/>
        <source>{grade} · {disposition}</source>
        <translation>{grade} · {disposition}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/models.py" line="267"/>
        <source>{rtv} or {scrap}</source>
        <translation>{rtv}或{scrap}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/models.py" line="286"/>
        <source>Wrong item: {code}</source>
        <translation>错误商品：{code}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/models.py" line="314"/>
        <source>Barcode {code}</source>
        <translation>条码 {code}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/models.py" line="316"/>
        <source>Serial-tracked: each unit needs its serial number</source>
        <translation>序列号管理：每件都需要扫描序列号</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/models.py" line="324"/>
        <source>Scanned {code}: not on this return</source>
        <translation>扫描了 {code}：不在本退货单上</translation>
    </message>
</context>
<context>
    <name>InspectionScreen</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="413"/>
        <source>Scan the RMA label, the items and the commands</source>
        <extracomment>Typed in the scan field and ended with Enter: the grade keys. Function keys and shortcuts of the station commands (no modifiers unless named). The input of the &quot;Print tags again&quot; button (not a command of the sheet). The input of a note typed for the unit scanned last (not a command of the sheet). The checks of a unit the station records (passed unless a command says otherwise), and the condition of the policy each stands for; &quot;function&quot; is always checked. The key that opens the &quot;parcel without RMA&quot; dialog.</extracomment>
        <translation>扫描退货标签、商品和指令条码</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="414"/>
        <source>Scans land here; typing works too: type the code, then Enter.</source>
        <translation>扫描内容进入此处；也可手动输入代码后按回车。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="415"/>
        <source>Complete (F12)</source>
        <translation>完成 (F12)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="416"/>
        <source>Undo (Ctrl+Z)</source>
        <translation>撤销 (Ctrl+Z)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="417"/>
        <source>Line short (F3)</source>
        <translation>本行短少 (F3)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="418"/>
        <source>Next line (F2)</source>
        <translation>下一行 (F2)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="419"/>
        <source>Wrong item (F4)</source>
        <translation>错误商品 (F4)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="420"/>
        <source>Cancel (Esc)</source>
        <translation>取消 (Esc)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="421"/>
        <source>Print tags again</source>
        <translation>重新打印标签</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="423"/>
        <source>Print the item tags of the return completed last once more, marked as a reprint</source>
        <translation>再次打印最近完成的退货单的商品标签，并标记为重印</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="425"/>
        <source>Waiting for the database</source>
        <translation>等待数据库</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="426"/>
        <source>Try again</source>
        <translation>重试</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="427"/>
        <source>Discard</source>
        <translation>丢弃</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="428"/>
        <source>Drop the waiting scans; they are listed in the status line</source>
        <translation>丢弃等待中的扫描；状态栏会列出它们</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="429"/>
        <source>Expected returns</source>
        <translation>待到货退货</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="431"/>
        <source>Authorized returns whose parcel has not arrived; Enter or double-click receives and opens one</source>
        <translation>已授权但包裹未到的退货；按回车或双击即收货并打开</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="433"/>
        <source>Waiting for inspection</source>
        <translation>待质检</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="435"/>
        <source>Received returns not inspected yet, the longest waiting first; Enter or double-click opens one</source>
        <translation>已收货未质检的退货，等待最久的在前；按回车或双击打开</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="437"/>
        <source>Parcel without RMA… (F11)</source>
        <translation>无退货单包裹… (F11)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="438"/>
        <source>Unmatched parcels… (Shift+F11)</source>
        <translation>无单包裹列表…（Shift+F11）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="440"/>
        <source>The parcels without RMA on the shelf: match one to its return or send it back</source>
        <translation>货架上的无单包裹：匹配到退货单或退回寄件人</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="441"/>
        <source>Keys and command barcodes</source>
        <translation>按键与指令条码</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="442"/>
        <source>1–4</source>
        <translation>1–4</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="442"/>
        <source>1–4, Enter</source>
        <translation>1–4，回车</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="444"/>
        <source>Grade A, B, C, D</source>
        <translation>等级 A、B、C、D</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="445"/>
        <source>F5–F9</source>
        <translation>F5–F9</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="445"/>
        <source>Restock, refurbish, return to vendor, scrap, return to customer</source>
        <translation>重新上架、送修翻新、退回供应商、报废、退回客户</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="446"/>
        <source>F12</source>
        <translation>F12</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="446"/>
        <source>Complete: route for approval, print item tags</source>
        <translation>完成：提交审批，打印商品标签</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="447"/>
        <source>Ctrl+Z</source>
        <translation>Ctrl+Z</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="447"/>
        <source>Undo the unit scanned last</source>
        <translation>撤销最后扫描的一件</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="448"/>
        <source>F2</source>
        <translation>F2</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="448"/>
        <source>Next line</source>
        <translation>下一行</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="449"/>
        <source>F3</source>
        <translation>F3</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="449"/>
        <source>Close the current line as short</source>
        <translation>当前行按短少关闭</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="450"/>
        <source>F4</source>
        <translation>F4</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="450"/>
        <source>Wrong item: the next scan is recorded as one</source>
        <translation>错误商品：下一次扫描记为错误商品</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="451"/>
        <source>Esc</source>
        <translation>Esc</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="451"/>
        <source>Cancel: drop the armed mode, or put the return aside</source>
        <translation>取消：退出当前模式，或暂存退货单</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="661"/>
        <source>Not a code of ReturnDesk: {reason}</source>
        <translation>不是 ReturnDesk 的代码：{reason}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="693"/>
        <source>The open return could not be reloaded: {reason}</source>
        <translation>无法重新载入当前退货单：{reason}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="704"/>
        <source>{reason} Scan the item again.</source>
        <translation>{reason} 请重新扫描商品。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="713"/>
        <source>{first} {second}</source>
        <translation>{first}{second}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="734"/>
        <source>The database cannot be reached. Scans kept: {count}; they are applied in order when the connection is back, nothing is lost.</source>
        <translation>无法连接数据库。已保留扫描：{count} 次；连接恢复后按顺序处理，不会丢失。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="745"/>
        <source>Kept until the database is back: {scan} (waiting: {count}).</source>
        <translation>已保留，待数据库恢复后处理：{scan}（等待中：{count}）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="772"/>
        <source>Discarded the scans that were waiting for the database ({count}): {scans}. Scan them again.</source>
        <translation>已丢弃等待数据库的扫描（{count}）：{scans}。请重新扫描。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="802"/>
        <source>{rma} received and opened; units expected: {count}. Scan the items.</source>
        <translation>{rma} 已收货并打开；应到件数：{count}。请扫描商品。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="805"/>
        <source>{rma} is open; units scanned: {scanned} of {count}.</source>
        <translation>{rma} 已打开；已扫描 {scanned}/{count} 件。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="808"/>
        <source>{rma} opened; units scanned so far: {scanned} of {count}. Scan the items.</source>
        <translation>{rma} 已打开；目前已扫描 {scanned}/{count} 件。请扫描商品。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="818"/>
        <source>This is not an RMA label; scan the RMA label on the parcel.</source>
        <translation>这不是退货标签；请扫描包裹上的退货标签。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="820"/>
        <source>{rma} is not a known RMA. Do not accept the parcel as a return: put it aside and record it as a parcel without RMA (F11).</source>
        <translation>{rma} 不是已知的退货单。不要作为退货接收：请放到一边，登记为无退货单包裹 (F11)。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="826"/>
        <source>{rma} is {status} (by {who}, {when}); do not accept the parcel.</source>
        <translation>{rma} 状态为{status}（{who}，{when}）；不要接收该包裹。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="829"/>
        <source>{rma} expired on {when}; do not accept the parcel unless customer service issues a new RMA.</source>
        <translation>{rma} 已于 {when} 过期；除非客服重新开具退货单，否则不要接收该包裹。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="832"/>
        <source>{rma} is not authorized yet (it is {status}); do not accept the parcel until customer service authorizes it.</source>
        <translation>{rma} 尚未授权（当前为{status}）；客服授权前不要接收该包裹。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="835"/>
        <source>{rma} was already inspected (by {who}); it is now {status}. Do not inspect it again; a second parcel is recorded as a parcel without RMA.</source>
        <translation>{rma} 已经质检过（{who}），当前为{status}。请勿重复质检；第二个包裹请登记为无退货单包裹。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="838"/>
        <source>{rma} cannot be inspected now.</source>
        <translation>{rma} 目前无法质检。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="862"/>
        <source>No return is open: scan the RMA label on the parcel first.</source>
        <translation>没有打开的退货单：请先扫描包裹上的退货标签。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="866"/>
        <source>{rma} is {status}: nothing more can be scanned on it. Scan the RMA label of the next parcel.</source>
        <translation>{rma} 状态为{status}：不能再扫描。请扫描下一个包裹的退货标签。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="880"/>
        <source>{sku} is serial-tracked: now scan the serial number of this unit (Esc cancels).</source>
        <translation>{sku} 需要序列号：请扫描这一件的序列号（Esc 取消）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="917"/>
        <source>Line {line}: {item} — unit {n} of {m}, grade {grade}, {disposition}.</source>
        <translation>第 {line} 行：{item} — 第 {n}/{m} 件，{grade} 级，{disposition}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="922"/>
        <source>Line {line}: {item} — unit {n} of {m}, grade {grade}, rejected: {disposition}.</source>
        <translation>第 {line} 行：{item} — 第 {n}/{m} 件，{grade} 级，拒收：{disposition}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="927"/>
        <source>More than authorized: line {line} expects {m} × {sku}, all counted. This extra unit is recorded as over: {disposition}.</source>
        <translation>超出授权数量：第 {line} 行应到 {m} × {sku}，已全部清点。多出的这一件记为超收：{disposition}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="931"/>
        <source>Wrong item: {item} is not on {rma}. Recorded as a wrong item: {disposition}.</source>
        <translation>错误商品：{item} 不在 {rma} 上。已记为错误商品：{disposition}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="956"/>
        <source>Current line ▶ {line}: {sku} {name}, {scanned} of {count} scanned.</source>
        <translation>当前行 ▶ {line}：{sku} {name}，已扫描 {scanned}/{count}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="965"/>
        <source>Wrong item: scan the item now; it is recorded as a wrong item, not counted (Esc cancels).</source>
        <translation>错误商品：现在扫描该商品；它将记为错误商品，不计入数量（Esc 取消）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="979"/>
        <source>The command {name} is not used at this station.</source>
        <translation>本工位不使用指令 {name}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="995"/>
        <source>Line {line}: the next units get {next}.</source>
        <translation>第 {line} 行：后续商品为 {next}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="1009"/>
        <source>Unit changed: grade {grade}, {disposition}.</source>
        <translation>已修改该件：{grade} 级，{disposition}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="1012"/>
        <source>Next units of line {line}: {next}.</source>
        <translation>第 {line} 行后续商品：{next}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="1044"/>
        <source>Scan the item first: a check is recorded for the unit scanned last.</source>
        <translation>请先扫描商品：检查结果记在上一件商品上。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="1060"/>
        <source>packaging not intact</source>
        <translation>包装不完好</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="1061"/>
        <source>packaging intact after all</source>
        <translation>包装改为完好</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="1062"/>
        <source>accessories missing</source>
        <translation>配件缺失</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="1063"/>
        <source>accessories complete after all</source>
        <translation>配件改为齐全</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="1064"/>
        <source>does not work</source>
        <translation>无法使用</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="1065"/>
        <source>works after all</source>
        <translation>改为功能正常</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="1067"/>
        <source>Unit checked: {check} — grade {grade}, {disposition}.</source>
        <translation>已登记检查：{check} — {grade} 级，{disposition}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="1081"/>
        <source>Scan the item first: a note is kept with the unit scanned last.</source>
        <translation>请先扫描商品：备注记在上一件商品上。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="1088"/>
        <source>Type the note for the unit scanned last; Enter keeps it, Esc drops it.</source>
        <translation>请输入上一件商品的备注；回车保存，Esc 放弃。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="1116"/>
        <source>Note kept with the unit: “{note}”.</source>
        <translation>已保存该件商品的备注：“{note}”。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="1127"/>
        <source>Cancelled: scan the next item.</source>
        <translation>已取消：请扫描下一件商品。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="1136"/>
        <source>{rma} put aside: the units scanned ({scanned} of {count}) are saved; it stays in the inspection queue.</source>
        <translation>{rma} 已暂存：已扫描的商品（{scanned}/{count}）均已保存；该退货单仍在待质检队列中。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="1139"/>
        <source>{rma} closed. Scan the next RMA label.</source>
        <translation>{rma} 已关闭。请扫描下一个退货标签。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="1142"/>
        <source>Nothing to cancel.</source>
        <translation>没有可取消的操作。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="1158"/>
        <source>Undone: unit {n} ({item}) is removed; its stock moves are reversed.</source>
        <translation>已撤销：第 {n} 件（{item}）已删除，其库存移动已冲回。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="1170"/>
        <source>Choose the line first: scan one of its items, or Next line (F2).</source>
        <translation>请先选择行：扫描该行的商品，或按下一行 (F2)。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="1184"/>
        <source>Line {line} closed short: {missing} of {count} not in the parcel.</source>
        <translation>第 {line} 行按短少关闭：{count} 件中有 {missing} 件不在包裹中。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="1187"/>
        <source>Current line ▶ {line}.</source>
        <translation>当前行 ▶ {line}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="1224"/>
        <source>{rma} inspected and approved automatically: refund {amount}.</source>
        <translation>{rma} 已质检并自动批准：退款 {amount}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="1227"/>
        <source>{rma} inspected and routed for approval by a {level}: refund {amount}.</source>
        <translation>{rma} 已质检，已提交{level}审批：退款 {amount}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="1231"/>
        <source>short: {n}</source>
        <translation>短少：{n}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="1233"/>
        <source>over: {n}</source>
        <translation>超收：{n}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="1235"/>
        <source>wrong items: {n}</source>
        <translation>错误商品：{n}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="1237"/>
        <source>Recorded: {counts}.</source>
        <translation>已记录：{counts}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="1238"/>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="1255"/>
        <source>No item tags: no unit stays in the warehouse.</source>
        <translation>无商品标签：没有商品留在仓库。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="1264"/>
        <source>Item tags printed: {count} ({where}).</source>
        <translation>已打印商品标签：{count}（{where}）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="1263"/>
        <source>Item tags printed: {count}.</source>
        <translation>已打印商品标签：{count}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="452"/>
        <source>F11 · Shift+F11</source>
        <translation>F11 · Shift+F11</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="452"/>
        <source>Parcel without RMA · the list: match or send back</source>
        <translation>登记无单包裹 · 列表：匹配或退回</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="453"/>
        <source>Ctrl+1–3 · F10</source>
        <translation>Ctrl+1–3 · F10</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="453"/>
        <source>Unit scanned last: packaging, accessories, function failed · a note</source>
        <translation>上一件：包装、配件、功能不合格 · 备注</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="459"/>
        <source>A grade or disposition changes the unit scanned last and is kept for the next units of its line; with no unit scanned last it is set for the current line ▶. Without one, units get grade A and the disposition of their grade: A and B restock, C refurbish, D return to vendor or scrap. Units pass their checks (packaging, accessories, function) unless Ctrl+1–3 marks one failed, which can lower the grade. The command sheet&apos;s barcodes do the same as the keys.</source>
        <translation>等级或处置会修改上一件商品，并沿用到同一行的后续商品；若尚未扫描商品，则设置给当前行 ▶。未指定时，商品为 A 级并按等级处置：A、B 级重新上架，C 级送修翻新，D 级退回供应商或报废。商品默认通过各项检查（包装、配件、功能），除非用 Ctrl+1–3 标记某项不合格，这可能降低等级。指令单上的条码与按键作用相同。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="1253"/>
        <source>Item tags: {reason}</source>
        <translation>商品标签：{reason}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="1259"/>
        <source>PDF files in {folder}</source>
        <translation>PDF 文件保存在 {folder}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="1274"/>
        <source>No inspection was completed at this station yet: there are no tags to print again.</source>
        <translation>本工位尚未完成任何质检：没有可重新打印的标签。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="1315"/>
        <source>{rma} was changed at another station; the screen shows it as it is now ({status}, units scanned: {scanned} of {count}). Check it before you go on.</source>
        <translation>{rma} 已在其他工位被修改；屏幕显示其当前状态（{status}，已扫描 {scanned}/{count} 件）。请核对后再继续。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="1355"/>
        <source>A worklist could not be loaded: {reason}</source>
        <translation>无法载入工作列表：{reason}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="1393"/>
        <source>Parcel without RMA recorded as #{id} {what}: put it on the shelf for parcels without RMA.</source>
        <translation>无退货单包裹已登记为 #{id} {what}：请放到无退货单包裹货架上。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="1436"/>
        <source>Saving… waiting in order: {count}</source>
        <translation>正在保存… 排队等待：{count}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="1438"/>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="1456"/>
        <source>No return open</source>
        <translation>未打开退货单</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="1459"/>
        <source>Scan the RMA label on the parcel to start.</source>
        <translation>扫描包裹上的退货标签开始。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="1465"/>
        <source>Units: {scanned} / {count}</source>
        <translation>件数：{scanned} / {count}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="1467"/>
        <source>(no customer)</source>
        <translation>（无客户）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="1470"/>
        <source>Customer: {customer}</source>
        <translation>客户：{customer}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="1471"/>
        <source>Order: {order}</source>
        <translation>订单：{order}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="1474"/>
        <source>▶ Line {line} {sku}: next unit {next}</source>
        <translation>▶ 第 {line} 行 {sku}：下一件 {next}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="1477"/>
        <source>Policy, line {line}: {policy}</source>
        <translation>第 {line} 行政策：{policy}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="1487"/>
        <source>Waiting for the serial number of {sku}</source>
        <translation>等待 {sku} 的序列号</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="1489"/>
        <source>Wrong item: the next scan is recorded as a wrong item</source>
        <translation>错误商品：下一次扫描将记为错误商品</translation>
    </message>
</context>
<context>
    <name>IntegrationsScreen</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/integrations/models.py" line="27"/>
        <location filename="../../desktop/returndesk/ui/screens/integrations/models.py" line="136"/>
        <source>Pending</source>
        <translation>待发送</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/integrations/models.py" line="28"/>
        <source>Delivered</source>
        <translation>已送达</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/integrations/models.py" line="29"/>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/integrations/models.py" line="46"/>
        <source>all events</source>
        <translation>全部事件</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/integrations/models.py" line="52"/>
        <location filename="../../desktop/returndesk/ui/screens/integrations/models.py" line="63"/>
        <source>active</source>
        <translation>有效</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/integrations/models.py" line="53"/>
        <source>disabled</source>
        <translation>已停用</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/integrations/models.py" line="57"/>
        <source>never</source>
        <translation>从未</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/integrations/models.py" line="62"/>
        <source>revoked</source>
        <translation>已吊销</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/integrations/models.py" line="115"/>
        <source>No.</source>
        <translation>编号</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/integrations/models.py" line="116"/>
        <source>Event</source>
        <translation>事件</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/integrations/models.py" line="117"/>
        <source>Subject</source>
        <translation>对象</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/integrations/models.py" line="118"/>
        <source>Occurred</source>
        <translation>发生时间</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/integrations/models.py" line="119"/>
        <source>Webhook</source>
        <translation>接收方</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/integrations/models.py" line="120"/>
        <location filename="../../desktop/returndesk/ui/screens/integrations/models.py" line="152"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/integrations/models.py" line="121"/>
        <source>Attempts</source>
        <translation>尝试次数</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/integrations/models.py" line="122"/>
        <source>Next attempt</source>
        <translation>下次尝试</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/integrations/models.py" line="123"/>
        <location filename="../../desktop/returndesk/ui/screens/integrations/models.py" line="138"/>
        <source>Last error</source>
        <translation>最近错误</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/integrations/models.py" line="132"/>
        <location filename="../../desktop/returndesk/ui/screens/integrations/models.py" line="147"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/integrations/models.py" line="133"/>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/integrations/models.py" line="134"/>
        <source>Events</source>
        <translation>事件</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/integrations/models.py" line="135"/>
        <source>Active</source>
        <translation>启用</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/integrations/models.py" line="137"/>
        <source>Last delivered</source>
        <translation>最近送达</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/integrations/models.py" line="148"/>
        <source>Key begins</source>
        <translation>密钥开头</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/integrations/models.py" line="149"/>
        <source>Scopes</source>
        <translation>权限范围</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/integrations/models.py" line="150"/>
        <source>Created</source>
        <translation>创建时间</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/integrations/models.py" line="151"/>
        <source>Last used</source>
        <translation>最近使用</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/integrations/screen.py" line="225"/>
        <source>Webhooks</source>
        <translation>事件推送 (Webhook)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/integrations/screen.py" line="226"/>
        <source>API keys</source>
        <translation>API 密钥</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/integrations/screen.py" line="227"/>
        <source>Show:</source>
        <translation>显示：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/integrations/screen.py" line="228"/>
        <source>Pending events</source>
        <translation>待发送事件</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/integrations/screen.py" line="228"/>
        <source>Failed deliveries</source>
        <translation>发送失败</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/integrations/screen.py" line="229"/>
        <source>Delivered events</source>
        <translation>已送达事件</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/integrations/screen.py" line="232"/>
        <source>Refresh (F5)</source>
        <translation>刷新 (F5)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/integrations/screen.py" line="233"/>
        <source>Send again</source>
        <translation>重新发送</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/integrations/screen.py" line="234"/>
        <source>Send the chosen event and every later one to its webhook again, now</source>
        <translation>立即将所选事件及其后的所有事件重新发送到其 Webhook</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/integrations/screen.py" line="235"/>
        <source>Webhooks (subscriptions)</source>
        <translation>Webhook（订阅）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/integrations/screen.py" line="236"/>
        <location filename="../../desktop/returndesk/ui/screens/integrations/screen.py" line="244"/>
        <source>Name:</source>
        <translation>名称：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/integrations/screen.py" line="237"/>
        <source>Address:</source>
        <translation>地址：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/integrations/screen.py" line="238"/>
        <source>Events:</source>
        <translation>事件：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/integrations/screen.py" line="239"/>
        <source>Event types separated by spaces; * for all, return. for every return event</source>
        <translation>事件类型以空格分隔；* 表示全部，return. 表示所有退货事件</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/integrations/screen.py" line="241"/>
        <source>Add webhook</source>
        <translation>添加 Webhook</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/integrations/screen.py" line="242"/>
        <location filename="../../desktop/returndesk/ui/screens/integrations/screen.py" line="243"/>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/integrations/screen.py" line="245"/>
        <source>Scopes:</source>
        <translation>权限范围：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/integrations/screen.py" line="246"/>
        <source>the system that uses the key, e.g. Web shop</source>
        <translation>使用该密钥的系统，例如网店</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/integrations/screen.py" line="247"/>
        <source>Create key</source>
        <translation>创建密钥</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/integrations/screen.py" line="248"/>
        <source>Revoke key</source>
        <translation>吊销密钥</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/integrations/screen.py" line="323"/>
        <source>Enable webhook</source>
        <translation>启用 Webhook</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/integrations/screen.py" line="324"/>
        <source>Disable webhook</source>
        <translation>停用 Webhook</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/integrations/screen.py" line="343"/>
        <source>Event {number} and the later ones go to {webhook} again.</source>
        <translation>事件 {number} 及其后的事件将重新发送到 {webhook}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/integrations/screen.py" line="354"/>
        <source>The webhook {name} is disabled; its events wait until it is enabled.</source>
        <translation>Webhook {name} 已停用；其事件将等待重新启用后发送。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/integrations/screen.py" line="356"/>
        <source>The webhook {name} is enabled again.</source>
        <translation>Webhook {name} 已重新启用。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/integrations/screen.py" line="372"/>
        <source>The signing secret of {name}. Give it to the receiving system now; it is not shown again.</source>
        <translation>{name} 的签名密钥。请立即交给接收系统；它不会再次显示。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/integrations/screen.py" line="374"/>
        <source>The webhook {name} is added; it receives the events from now on.</source>
        <translation>Webhook {name} 已添加；从现在起接收事件。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/integrations/screen.py" line="388"/>
        <source>The key for {name}. Copy it into that system now; it is not shown again.</source>
        <translation>{name} 的密钥。请立即复制到该系统中；它不会再次显示。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/integrations/screen.py" line="390"/>
        <source>The API key {name} is created.</source>
        <translation>API 密钥 {name} 已创建。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/integrations/screen.py" line="397"/>
        <source>Revoke the API key {name}? The system using it is refused at once.</source>
        <translation>吊销 API 密钥 {name}？使用它的系统将立即被拒绝。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/integrations/screen.py" line="401"/>
        <source>The API key {name} is revoked.</source>
        <translation>API 密钥 {name} 已吊销。</translation>
    </message>
</context>
<context>
    <name>LiveUpdates</name>
    <message>
        <location filename="../../desktop/returndesk/ui/live.py" line="135"/>
        <source>Connected</source>
        <extracomment>Why the connection was lost last, in the station&apos;s language (&quot;&quot; while it never was).</extracomment>
        <translation>已连接</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/live.py" line="173"/>
        <source>Offline: the ReturnDesk server cannot be reached. Reconnecting…</source>
        <translation>离线：无法连接 ReturnDesk 服务器。正在重新连接…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/live.py" line="175"/>
        <source>Offline: the database cannot be reached. Reconnecting…</source>
        <translation>离线：无法连接数据库。正在重新连接…</translation>
    </message>
</context>
<context>
    <name>Location</name>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="264"/>
        <source>Available stock</source>
        <translation>可售库存</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="265"/>
        <source>Inspection</source>
        <translation>质检区</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="266"/>
        <source>Refurbishment</source>
        <translation>翻新</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="267"/>
        <source>Return to vendor</source>
        <translation>退供应商区</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="268"/>
        <source>Scrap</source>
        <translation>报废区</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="269"/>
        <source>Reserved</source>
        <translation>预留</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="270"/>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="271"/>
        <source>At the supplier</source>
        <translation>在供应商处</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../desktop/returndesk/ui/main_window.py" line="256"/>
        <source>ReturnDesk — {station}</source>
        <translation>ReturnDesk — {station}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/main_window.py" line="257"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/main_window.py" line="258"/>
        <source>Sign &amp;out</source>
        <translation>退出登录(&amp;O)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/main_window.py" line="259"/>
        <source>Sign out and hand the station over ({key})</source>
        <translation>退出登录，交接工位（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/main_window.py" line="261"/>
        <source>S&amp;tation settings…</source>
        <translation>工位设置(&amp;T)…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/main_window.py" line="262"/>
        <source>Station profile and name of this computer</source>
        <translation>本机的工位类型和名称</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/main_window.py" line="263"/>
        <source>&amp;Printers…</source>
        <translation>打印机(&amp;P)…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/main_window.py" line="264"/>
        <source>Sca&amp;nners…</source>
        <translation>扫描枪(&amp;N)…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/main_window.py" line="265"/>
        <source>How this station&apos;s barcode scanners are programmed</source>
        <translation>本工位条码扫描枪的编程方式</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/main_window.py" line="266"/>
        <source>Where this station prints each document</source>
        <translation>本工位各种单据的打印位置</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/main_window.py" line="267"/>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/main_window.py" line="268"/>
        <source>Quit ReturnDesk ({key})</source>
        <translation>退出 ReturnDesk（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/main_window.py" line="269"/>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/main_window.py" line="270"/>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/main_window.py" line="271"/>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/main_window.py" line="272"/>
        <source>&amp;About ReturnDesk</source>
        <translation>关于 ReturnDesk(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/main_window.py" line="273"/>
        <source>&amp;User guide for this screen</source>
        <translation>本界面的用户指南(&amp;U)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/main_window.py" line="274"/>
        <source>The user guide at the section of the screen shown ({key})</source>
        <translation>打开用户指南中当前界面的章节（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/main_window.py" line="283"/>
        <source>{screen} ({key})</source>
        <translation>{screen}（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/main_window.py" line="286"/>
        <source>There is no screen for the role {role} at this station yet. Sign out and sign in with another user, or ask an administrator about your role.</source>
        <translation>本工位暂时没有适合角色“{role}”的界面。请退出登录后换其他用户登录，或向管理员询问您的角色。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/main_window.py" line="288"/>
        <source>{user} · {role}</source>
        <translation>{user} · {role}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/main_window.py" line="290"/>
        <source>Signed in as {username}</source>
        <translation>登录用户：{username}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/main_window.py" line="291"/>
        <source>Station: {name} ({profile}) · {zone}</source>
        <translation>工位：{name}（{profile}）· {zone}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/main_window.py" line="293"/>
        <source>Times are shown in the time zone of the station&apos;s site, {zone}</source>
        <translation>时间按本工位所在门店/仓库的时区显示：{zone}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/main_window.py" line="302"/>
        <location filename="../../desktop/returndesk/ui/screenshots.py" line="154"/>
        <source>Database: local file {path}</source>
        <extracomment>The fingerprint shown in the pictures (a real certificate&apos;s is 32 such pairs). What the first-start pictures show instead of this machine&apos;s own folder and name.</extracomment>
        <translation>数据库：本地文件 {path}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/main_window.py" line="304"/>
        <source>Server: {address}</source>
        <translation>服务器：{address}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/main_window.py" line="306"/>
        <source>Database: server {host}:{port}/{database} as {user}</source>
        <translation>数据库：服务器 {host}:{port}/{database}，登录名 {user}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/main_window.py" line="387"/>
        <source>The inspection station is not available to your role.</source>
        <translation>您的角色无法使用仓库质检扫描。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/main_window.py" line="423"/>
        <source>opening the screen {screen}</source>
        <translation>打开界面“{screen}”</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/main_window.py" line="438"/>
        <location filename="../../desktop/returndesk/ui/main_window.py" line="442"/>
        <source>Connected</source>
        <translation>已连接</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/main_window.py" line="440"/>
        <source>Connecting…</source>
        <translation>正在连接…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/main_window.py" line="444"/>
        <source>Offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/main_window.py" line="477"/>
        <source>saving the time zone</source>
        <translation>保存时区</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/main_window.py" line="523"/>
        <source>About ReturnDesk</source>
        <translation>关于 ReturnDesk</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/main_window.py" line="525"/>
        <source>ReturnDesk {version}</source>
        <translation>ReturnDesk {version}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/main_window.py" line="527"/>
        <source>Customer returns from the counter through inspection, approval and refund.

Database: {database} (schema {revision})
Python {python}, Qt {qt}, PySide6 {pyside}, {system}</source>
        <translation>顾客退货全流程：柜台受理、质检、审批到退款。

数据库：{database}（结构版本 {revision}）
Python {python}, Qt {qt}, PySide6 {pyside}, {system}</translation>
    </message>
</context>
<context>
    <name>MasterDataLabels</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/labels.py" line="13"/>
        <source>Products</source>
        <translation>商品</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/labels.py" line="14"/>
        <source>Customers</source>
        <translation>客户</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/labels.py" line="15"/>
        <source>Suppliers</source>
        <translation>供应商</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/labels.py" line="16"/>
        <source>Categories</source>
        <translation>类别</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/labels.py" line="17"/>
        <source>Sales orders</source>
        <translation>销售订单</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/labels.py" line="21"/>
        <source>SKU</source>
        <translation>SKU</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/labels.py" line="22"/>
        <source>Name (English)</source>
        <translation>英文名称</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/labels.py" line="23"/>
        <source>Name (Chinese)</source>
        <translation>中文名称</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/labels.py" line="24"/>
        <source>Barcodes</source>
        <translation>条码</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/labels.py" line="25"/>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/labels.py" line="26"/>
        <source>Supplier</source>
        <translation>供应商</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/labels.py" line="27"/>
        <source>Price</source>
        <translation>售价</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/labels.py" line="28"/>
        <source>Cost</source>
        <translation>成本价</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/labels.py" line="29"/>
        <source>Tax rate</source>
        <translation>税率</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/labels.py" line="30"/>
        <source>Returnable</source>
        <translation>可退货</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/labels.py" line="31"/>
        <source>Serial numbers</source>
        <translation>序列号管理</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/labels.py" line="32"/>
        <source>Restocking fee</source>
        <translation>退货手续费</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/labels.py" line="33"/>
        <source>Style code</source>
        <translation>款号</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/labels.py" line="34"/>
        <source>Variant (size, colour)</source>
        <translation>规格（尺码、颜色）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/labels.py" line="35"/>
        <source>Supplier&apos;s code</source>
        <translation>供应商货号</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/labels.py" line="36"/>
        <source>Code</source>
        <translation>编码</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/labels.py" line="37"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/labels.py" line="38"/>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/labels.py" line="39"/>
        <source>E-mail</source>
        <translation>电子邮箱</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/labels.py" line="40"/>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/labels.py" line="41"/>
        <source>Contact</source>
        <translation>联系人</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/labels.py" line="42"/>
        <source>Return-to-vendor terms</source>
        <translation>退供条款</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/labels.py" line="43"/>
        <source>Handling fee</source>
        <translation>处理费</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/labels.py" line="44"/>
        <source>Minimum claim</source>
        <translation>最低索赔金额</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/labels.py" line="45"/>
        <source>Return window (days)</source>
        <translation>退货期限（天）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/labels.py" line="46"/>
        <source>Order number</source>
        <translation>订单号</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/labels.py" line="47"/>
        <source>Channel</source>
        <translation>渠道</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/labels.py" line="48"/>
        <source>Customer code</source>
        <translation>客户编码</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/labels.py" line="49"/>
        <source>Customer name</source>
        <translation>客户姓名</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/labels.py" line="50"/>
        <source>Customer phone</source>
        <translation>客户电话</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/labels.py" line="51"/>
        <source>Customer e-mail</source>
        <translation>客户邮箱</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/labels.py" line="52"/>
        <source>Customer address</source>
        <translation>客户地址</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/labels.py" line="53"/>
        <source>Sold at</source>
        <translation>销售时间</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/labels.py" line="54"/>
        <source>Delivered at</source>
        <translation>签收时间</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/labels.py" line="55"/>
        <source>Payment method</source>
        <translation>支付方式</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/labels.py" line="56"/>
        <source>Currency</source>
        <translation>币种</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/labels.py" line="57"/>
        <source>Shipping</source>
        <translation>运费</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/labels.py" line="58"/>
        <source>Site</source>
        <translation>门店</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/labels.py" line="59"/>
        <source>Invoice number</source>
        <translation>发票号码</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/labels.py" line="60"/>
        <source>Line number</source>
        <translation>行号</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/labels.py" line="61"/>
        <source>Quantity</source>
        <translation>数量</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/labels.py" line="62"/>
        <source>Unit price</source>
        <translation>单价</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/labels.py" line="63"/>
        <source>Discount</source>
        <translation>折扣</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/labels.py" line="64"/>
        <source>Tax</source>
        <translation>税额</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/labels.py" line="65"/>
        <source>Paid</source>
        <translation>实付金额</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/labels.py" line="66"/>
        <source>Serial numbers sold</source>
        <translation>售出序列号</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/labels.py" line="70"/>
        <source>Credit at cost</source>
        <translation>按成本价抵扣</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/labels.py" line="71"/>
        <source>Cost minus handling fee</source>
        <translation>成本价扣除处理费</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/labels.py" line="72"/>
        <source>Replacement</source>
        <translation>换货</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/labels.py" line="76"/>
        <source>Standard (the policy&apos;s fee)</source>
        <translation>标准（按退货政策收取）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/labels.py" line="77"/>
        <source>Exempt (never charged)</source>
        <translation>免收（从不收取）</translation>
    </message>
</context>
<context>
    <name>MasterDataScreen</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/screen.py" line="134"/>
        <source>Products, customers and suppliers</source>
        <translation>商品、客户和供应商</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/screen.py" line="137"/>
        <source>Code, name, barcode or phone</source>
        <translation>编码、名称、条码或电话</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/screen.py" line="138"/>
        <source>&amp;Search</source>
        <translation>搜索(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/screen.py" line="139"/>
        <source>&amp;Import…</source>
        <translation>导入(&amp;I)…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/screen.py" line="140"/>
        <source>E&amp;xport…</source>
        <translation>导出(&amp;X)…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/screen.py" line="141"/>
        <source>&amp;New</source>
        <translation>新建(&amp;N)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/screen.py" line="142"/>
        <source>Sa&amp;ve</source>
        <translation>保存(&amp;V)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/screen.py" line="144"/>
        <source>Your role may look at the master data but not change it; ask a manager.</source>
        <translation>您的角色可以查看主数据，但不能修改；请找经理修改。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/screen.py" line="158"/>
        <source>The policy&apos;s window</source>
        <translation>按退货政策</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/screen.py" line="159"/>
        <source> days</source>
        <translation> 天</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/screen.py" line="162"/>
        <source>Several separated by ;</source>
        <translation>多个条码用 ; 分隔</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/screen.py" line="166"/>
        <source>Code or name</source>
        <translation>编码或名称</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/screen.py" line="215"/>
        <source>loading the list</source>
        <translation>加载列表</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/screen.py" line="220"/>
        <source>Searching…</source>
        <translation>正在搜索…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/screen.py" line="222"/>
        <source>Nothing matches “{query}”.</source>
        <translation>没有与“{query}”匹配的记录。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/screen.py" line="224"/>
        <source>None yet: import a file or add one with New.</source>
        <translation>还没有记录：请导入文件，或点“新建”添加。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/returndesk/ui/screens/master_data/screen.py" line="226"/>
        <source>%n record(s).</source>
        <translation>
            <numerusform>共 %n 条记录。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/returndesk/ui/screens/master_data/screen.py" line="228"/>
        <source>%n record(s) shown; scroll down for more.</source>
        <translation>
            <numerusform>已显示 %n 条记录；向下滚动查看更多。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/screen.py" line="266"/>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/screen.py" line="274"/>
        <source>Saved.</source>
        <translation>已保存。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/screen.py" line="279"/>
        <source>saving</source>
        <translation>保存</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/screen.py" line="296"/>
        <source>Export {kind}</source>
        <translation>导出{kind}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/screen.py" line="297"/>
        <source>Excel workbook (*.xlsx);;CSV (*.csv);;JSON (*.json)</source>
        <translation>Excel 工作簿 (*.xlsx);;CSV (*.csv);;JSON (*.json)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/screen.py" line="316"/>
        <source>{path} cannot be written: {reason}</source>
        <translation>无法写入 {path}：{reason}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/screen.py" line="320"/>
        <source>Exported to {path}.</source>
        <translation>已导出到 {path}。</translation>
    </message>
</context>
<context>
    <name>MasterDataTableModel</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/models.py" line="78"/>
        <source>Yes</source>
        <extracomment>The columns each list shows, by field.</extracomment>
        <translation>是</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/models.py" line="78"/>
        <source>No</source>
        <translation>否</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/models.py" line="82"/>
        <source>Policy</source>
        <translation>按政策</translation>
    </message>
</context>
<context>
    <name>Navigation</name>
    <message>
        <location filename="../../desktop/returndesk/ui/navigation.py" line="173"/>
        <source>Returns</source>
        <translation>退货查询</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/navigation.py" line="142"/>
        <source>Inspection station</source>
        <translation>仓库质检扫描</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/navigation.py" line="136"/>
        <source>Counter intake</source>
        <extracomment>The module each lazily imported screen comes from (see :func:`preload_start_screens`).</extracomment>
        <translation>柜台退货受理</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/navigation.py" line="139"/>
        <source>Review requests</source>
        <translation>退货申请审核</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/navigation.py" line="145"/>
        <source>Supervisor approval</source>
        <translation>主管审批</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/navigation.py" line="148"/>
        <source>To pay</source>
        <translation>待退款</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/navigation.py" line="150"/>
        <source>Analytics</source>
        <translation>数据分析</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/navigation.py" line="152"/>
        <source>Risk review</source>
        <translation>风险审查</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/navigation.py" line="154"/>
        <source>Supplier claims</source>
        <translation>退供单</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/navigation.py" line="156"/>
        <source>Refurbish and scrap</source>
        <translation>翻新与报废</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/navigation.py" line="159"/>
        <source>Products, customers and suppliers</source>
        <translation>商品、客户和供应商</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/navigation.py" line="162"/>
        <source>Cash drawer</source>
        <translation>收银钱箱</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/navigation.py" line="164"/>
        <source>Finance desk</source>
        <translation>财务工作台</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/navigation.py" line="166"/>
        <source>Administration</source>
        <translation>系统管理</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/navigation.py" line="168"/>
        <source>Integrations</source>
        <translation>系统集成</translation>
    </message>
</context>
<context>
    <name>ParcelsDialog</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/parcels.py" line="143"/>
        <source>Parcels without RMA</source>
        <translation>无单包裹</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/parcels.py" line="145"/>
        <source>Parcels that arrived without a usable RMA, oldest first. Choose one; scan or type its RMA to match it to its return (an authorized return is received at once), or send it back with a note.</source>
        <translation>到货时没有可用退货单号的包裹，最早的在前。选择一个包裹：扫描或输入其退货单号即可与退货单匹配（已授权的退货单随即收货），或填写说明后退回。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/parcels.py" line="148"/>
        <source>Arrived</source>
        <translation>到货时间</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/parcels.py" line="148"/>
        <source>Tracking number</source>
        <translation>运单号</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/parcels.py" line="148"/>
        <source>Sender</source>
        <translation>寄件人</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/parcels.py" line="148"/>
        <source>Order number</source>
        <translation>订单号</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/parcels.py" line="149"/>
        <source>Contents</source>
        <translation>包裹内容</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/parcels.py" line="149"/>
        <source>Recorded by</source>
        <translation>登记人</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/parcels.py" line="150"/>
        <source>&amp;RMA:</source>
        <translation>退货单号(&amp;R)：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/parcels.py" line="151"/>
        <source>Scan or type the RMA of the chosen parcel</source>
        <translation>扫描或输入所选包裹的退货单号</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/parcels.py" line="152"/>
        <source>Match (Enter)</source>
        <translation>匹配（回车）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/parcels.py" line="153"/>
        <source>Send &amp;back:</source>
        <translation>退回(&amp;B)：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/parcels.py" line="154"/>
        <source>Why and how it goes back, e.g. “no order found; returned by SF Express, collect”</source>
        <translation>退回原因及方式，例如“找不到订单；顺丰到付退回”</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/parcels.py" line="156"/>
        <source>Send back ({key})</source>
        <translation>退回（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/parcels.py" line="157"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/parcels.py" line="192"/>
        <source>No parcel without RMA is waiting.</source>
        <translation>没有待处理的无单包裹。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/parcels.py" line="227"/>
        <source>Scan or type the RMA the parcel belongs to.</source>
        <translation>请扫描或输入该包裹所属的退货单号。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/parcels.py" line="237"/>
        <source>Parcel #{id} matched to {rma}; take it to inspection.</source>
        <translation>包裹 #{id} 已匹配到 {rma}；请送去质检。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/parcels.py" line="248"/>
        <source>Write why and how the parcel goes back (at least 5 characters).</source>
        <translation>请写明包裹退回的原因和方式（至少 5 个字符）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/parcels.py" line="259"/>
        <source>Parcel #{id} goes back to its sender.</source>
        <translation>包裹 #{id} 将退回寄件人。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/parcels.py" line="266"/>
        <location filename="../../desktop/returndesk/ui/screens/inspection/parcels.py" line="268"/>
        <source>handling the parcel</source>
        <translation>处理包裹</translation>
    </message>
</context>
<context>
    <name>PasswordDialog</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/users.py" line="113"/>
        <source>New password for {name}</source>
        <translation>为 {name} 设置新密码</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/users.py" line="124"/>
        <source>New password</source>
        <translation>新密码</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/users.py" line="125"/>
        <source>Repeat it</source>
        <translation>再输入一次</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/users.py" line="136"/>
        <source>The two passwords differ; type the same password twice.</source>
        <translation>两次输入的密码不一致，请输入相同的密码。</translation>
    </message>
</context>
<context>
    <name>PolicyForm</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="230"/>
        <source>Name of the version</source>
        <translation>版本名称</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="234"/>
        <source>Yes</source>
        <translation>是</translation>
    </message>
</context>
<context>
    <name>PolicyStatus</name>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="246"/>
        <source>Within policy</source>
        <translation>符合政策</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="247"/>
        <source>Needs a supervisor override</source>
        <translation>需主管特批</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="248"/>
        <source>Not returnable</source>
        <translation>不可退货</translation>
    </message>
</context>
<context>
    <name>PolicyTab</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="52"/>
        <source>Return window (days)</source>
        <translation>退货期限（天）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="53"/>
        <source>Window for vendor faults (days)</source>
        <translation>供应商责任退货期限（天）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="54"/>
        <source>Window of a category (days)</source>
        <translation>品类退货期限（天）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="55"/>
        <source>Non-returnable categories</source>
        <translation>不可退货品类</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="56"/>
        <source>Required conditions</source>
        <translation>必须满足的条件</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="57"/>
        <source>Conditions also for vendor faults</source>
        <translation>供应商责任也须满足条件</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="58"/>
        <source>Refunded share of grade</source>
        <translation>各等级退款比例</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="59"/>
        <source>Restocking fee</source>
        <translation>重新上架费</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="60"/>
        <source>Automatic approval up to</source>
        <translation>自动批准上限</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="61"/>
        <source>A manager approves above</source>
        <translation>超过此金额由经理审批</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="62"/>
        <source>Frequent returner: returns</source>
        <translation>频繁退货：退货次数</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="63"/>
        <source>Frequent returner: within days</source>
        <translation>频繁退货：统计天数</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="64"/>
        <source>Refund shipping on vendor faults</source>
        <translation>供应商责任时退还运费</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="65"/>
        <source>Days for a parcel to arrive</source>
        <translation>包裹寄回期限（天）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="66"/>
        <source>Transit days without a delivery date</source>
        <translation>无签收日期时的在途天数</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="67"/>
        <source>Close settled returns after (days)</source>
        <translation>已结退货单关闭天数</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="68"/>
        <source>Supplier&apos;s answer overdue after (days)</source>
        <translation>供应商答复逾期天数</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="69"/>
        <source>A supervisor signs off scrap above</source>
        <translation>报废价值超过此金额需主管授权</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="70"/>
        <source>Policy text (English)</source>
        <translation>政策文本（英文）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="71"/>
        <source>Policy text (Chinese)</source>
        <translation>政策文本（中文）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="74"/>
        <source>original packaging</source>
        <translation>原包装</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="75"/>
        <source>tags attached</source>
        <translation>吊牌完好</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="76"/>
        <source>accessories complete</source>
        <translation>配件齐全</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="77"/>
        <source>proof of purchase</source>
        <translation>购买凭证</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="78"/>
        <source>factory seal intact</source>
        <translation>出厂封条完好</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="103"/>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="104"/>
        <source>No</source>
        <translation>否</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="121"/>
        <source>“{part}” is not a category window; write them like apparel=60, shoes=45.</source>
        <translation>“{part}”不是品类期限；请写成 apparel=60, shoes=45 这样的格式。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="387"/>
        <source>Published versions</source>
        <translation>已发布版本</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="388"/>
        <source>Draft of the next version</source>
        <translation>下一版本草稿</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="389"/>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="389"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="389"/>
        <source>In effect from</source>
        <translation>生效时间</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="390"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="390"/>
        <source>Published by</source>
        <translation>发布人</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="391"/>
        <source>Setting</source>
        <translation>设置项</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="391"/>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="430"/>
        <source>In force</source>
        <translation>现行</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="391"/>
        <source>Draft</source>
        <translation>草稿</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="392"/>
        <source>&amp;Withdraw before it takes effect</source>
        <translation>生效前撤回(&amp;W)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="393"/>
        <source>S&amp;tart a draft</source>
        <translation>新建草稿(&amp;T)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="394"/>
        <source>Sa&amp;ve draft</source>
        <translation>保存草稿(&amp;V)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="395"/>
        <source>&amp;Discard draft</source>
        <translation>丢弃草稿(&amp;D)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="396"/>
        <source>Takes effect on</source>
        <translation>生效日期</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="397"/>
        <source>&amp;Publish</source>
        <translation>发布(&amp;P)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="432"/>
        <source>Withdrawn</source>
        <translation>已撤回</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="434"/>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="482"/>
        <source>Scheduled</source>
        <translation>待生效</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="435"/>
        <source>Earlier</source>
        <translation>旧版本</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="441"/>
        <source>(installation)</source>
        <translation>（安装时）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="449"/>
        <source>“{name}”, started from version {base}, saved by {who} at {when}.</source>
        <translation>“{name}”，基于版本 {base}，{who} 于 {when} 保存。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="454"/>
        <source>No draft. Version {version} “{name}” is in force; start a draft from it to prepare the next one.</source>
        <translation>暂无草稿。现行版本为 {version}“{name}”；可从它新建草稿来准备下一版本。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="472"/>
        <source>%n setting(s) differ from the version in force.</source>
        <translation>
            <numerusform>与现行版本相比有 %n 项设置不同。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="496"/>
        <source>Next version after {version}</source>
        <translation>版本 {version} 之后的新版本</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="498"/>
        <source>Draft started from the version in force.</source>
        <translation>已从现行版本新建草稿。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="510"/>
        <source>Draft saved.</source>
        <translation>草稿已保存。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="514"/>
        <source>Draft discarded.</source>
        <translation>草稿已丢弃。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="537"/>
        <source>Version {version} published; it judges the returns taken from {when} on.</source>
        <translation>版本 {version} 已发布；自 {when} 起受理的退货按此版本判定。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="547"/>
        <source>Version {version} withdrawn.</source>
        <translation>版本 {version} 已撤回。</translation>
    </message>
</context>
<context>
    <name>PrintLogTableModel</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/models.py" line="215"/>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/models.py" line="215"/>
        <source>Document</source>
        <translation>单据</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/models.py" line="215"/>
        <source>Reference</source>
        <translation>编号</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/models.py" line="215"/>
        <source>Copy</source>
        <translation>份次</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/models.py" line="215"/>
        <source>Who</source>
        <translation>操作人</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/models.py" line="216"/>
        <source>Station</source>
        <translation>工位</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/models.py" line="216"/>
        <source>Where</source>
        <translation>输出位置</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/models.py" line="232"/>
        <source>original</source>
        <translation>原件</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/models.py" line="233"/>
        <source>reprint {n}</source>
        <translation>第 {n} 次补打</translation>
    </message>
</context>
<context>
    <name>PrintPreviewDialog</name>
    <message>
        <location filename="../../desktop/returndesk/ui/printing.py" line="197"/>
        <source>Print preview</source>
        <extracomment>Highest resolution pages are rendered at for a Qt printer; more only costs memory and time. Makes the QPrinter for a ``qt:&lt;name&gt;`` destination (tests print into a PDF file instead).</extracomment>
        <translation>打印预览</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/printing.py" line="198"/>
        <source>{document} {reference}</source>
        <translation>{document} {reference}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/printing.py" line="201"/>
        <source>(reprint {n})</source>
        <translation>（重印 {n}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/printing.py" line="204"/>
        <source>1 page</source>
        <translation>1 页</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/printing.py" line="204"/>
        <source>{n} pages</source>
        <translation>{n} 页</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/printing.py" line="205"/>
        <source>{pages} · goes to {destination}</source>
        <translation>{pages} · 打印到 {destination}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/printing.py" line="207"/>
        <source>The label printer draws the same label from ZPL at its own resolution.</source>
        <translation>标签打印机按自身分辨率，用 ZPL 打印同样的标签。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/printing.py" line="209"/>
        <source>&amp;Print</source>
        <translation>打印(&amp;P)</translation>
    </message>
</context>
<context>
    <name>PrintService</name>
    <message>
        <location filename="../../desktop/returndesk/ui/printing.py" line="315"/>
        <source>Printing</source>
        <translation>正在打印</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/printing.py" line="316"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/printing.py" line="350"/>
        <source>{title} sent to {destination}.</source>
        <translation>{title} 已发送到{destination}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/printing.py" line="383"/>
        <location filename="../../desktop/returndesk/ui/printing.py" line="384"/>
        <source>printing</source>
        <translation>打印</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/printing.py" line="406"/>
        <source>Printing {document} {n} of {total}: {reference}</source>
        <translation>正在打印{document}（{n}/{total}）：{reference}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/printing.py" line="427"/>
        <source>{reason} {printed} of {total} were printed before it; the rest were not.</source>
        <translation>{reason} 此前已打印 {printed}/{total} 份，其余未打印。</translation>
    </message>
</context>
<context>
    <name>PrinterSettingsDialog</name>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/printer_settings.py" line="82"/>
        <source>Folder for the PDF files</source>
        <extracomment>The ways to print offered in the dialog, in order (ZPL ones only for labels and tags).</extracomment>
        <translation>PDF 文件的保存文件夹</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/printer_settings.py" line="254"/>
        <source>Not set</source>
        <translation>未设置</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/printer_settings.py" line="255"/>
        <source>System printer</source>
        <translation>系统打印机</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/printer_settings.py" line="256"/>
        <source>CUPS printer</source>
        <translation>CUPS 打印机</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/printer_settings.py" line="257"/>
        <source>PDF files in a folder</source>
        <translation>PDF 文件存入文件夹</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/printer_settings.py" line="258"/>
        <source>Zebra, raw CUPS queue (ZPL)</source>
        <translation>Zebra，CUPS 原始队列 (ZPL)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/printer_settings.py" line="259"/>
        <source>Zebra on the network (ZPL)</source>
        <translation>Zebra 网络打印机 (ZPL)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/printer_settings.py" line="263"/>
        <source>Printers of this station</source>
        <translation>本工位的打印机</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/printer_settings.py" line="264"/>
        <source>Printers of station {station}</source>
        <translation>工位 {station} 的打印机</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/printer_settings.py" line="266"/>
        <source>Choose where each document is printed at this station. A PDF folder works without any printer. Return labels and item tags can also go to a Zebra label printer as ZPL.</source>
        <translation>选择本工位每种单据的打印位置。存入 PDF 文件夹无需打印机。退货标签和商品标签也可以用 ZPL 发送到 Zebra 标签打印机。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/printer_settings.py" line="268"/>
        <source>Printer per document</source>
        <translation>各单据的打印机</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/printer_settings.py" line="269"/>
        <source>Document</source>
        <translation>单据</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/printer_settings.py" line="270"/>
        <source>Print with</source>
        <translation>打印方式</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/printer_settings.py" line="271"/>
        <source>Printer, queue, folder or address</source>
        <translation>打印机、队列、文件夹或地址</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/printer_settings.py" line="281"/>
        <source>Folder…</source>
        <translation>文件夹…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/printer_settings.py" line="282"/>
        <source>Options</source>
        <translation>选项</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/printer_settings.py" line="283"/>
        <source>Show a &amp;preview before printing</source>
        <translation>打印前显示预览(&amp;P)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/printer_settings.py" line="284"/>
        <source>Return &amp;label size:</source>
        <translation>退货标签尺寸(&amp;L)：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/printer_settings.py" line="285"/>
        <source>4 × 6 in (101.6 × 152.4 mm)</source>
        <translation>4 × 6 英寸（101.6 × 152.4 毫米）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/printer_settings.py" line="286"/>
        <source>100 × 150 mm</source>
        <translation>100 × 150 毫米</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/printer_settings.py" line="287"/>
        <source>&amp;Receipt roll:</source>
        <translation>小票纸宽(&amp;R)：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/printer_settings.py" line="288"/>
        <source>80 mm</source>
        <translation>80 毫米</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/printer_settings.py" line="289"/>
        <source>58 mm</source>
        <translation>58 毫米</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/printer_settings.py" line="290"/>
        <source>&amp;Zebra resolution:</source>
        <translation>Zebra 分辨率(&amp;Z)：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/printer_settings.py" line="291"/>
        <source>203 dpi (8 dots/mm)</source>
        <translation>203 dpi（8 点/毫米）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/printer_settings.py" line="292"/>
        <source>300 dpi (12 dots/mm)</source>
        <translation>300 dpi（12 点/毫米）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/printer_settings.py" line="295"/>
        <source>CUPS printers are not listed: {reason}</source>
        <translation>未列出 CUPS 打印机：{reason}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/printer_settings.py" line="319"/>
        <source>reading the printer settings</source>
        <translation>读取打印机设置</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/printer_settings.py" line="334"/>
        <source>Chosen for all stations</source>
        <translation>所有工位通用的设置</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/printer_settings.py" line="361"/>
        <source>/home/counter/labels</source>
        <translation>/home/counter/labels</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/printer_settings.py" line="362"/>
        <source>192.168.1.40:9100</source>
        <translation>192.168.1.40:9100</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/printer_settings.py" line="422"/>
        <source>saving the printer settings</source>
        <translation>保存打印机设置</translation>
    </message>
</context>
<context>
    <name>ReasonDialog</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="222"/>
        <source>Return reason {code}</source>
        <translation>退货原因 {code}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="223"/>
        <source>Add return reason</source>
        <translation>添加退货原因</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="232"/>
        <source>The vendor&apos;s fault (longer window, full refund with shipping)</source>
        <translation>供应商责任（退货期限更长，全额退款含运费）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="249"/>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="250"/>
        <source>English name</source>
        <translation>英文名称</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="251"/>
        <source>Chinese name</source>
        <translation>中文名称</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="253"/>
        <source>Allowed resolutions</source>
        <translation>允许的处理方式</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="267"/>
        <source>Allow at least one resolution: refund or exchange.</source>
        <translation>至少允许一种处理方式：退款或换货。</translation>
    </message>
</context>
<context>
    <name>ReasonsTab</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="316"/>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="316"/>
        <source>English</source>
        <translation>英文</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="316"/>
        <source>Chinese</source>
        <translation>中文</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="316"/>
        <source>Vendor fault</source>
        <translation>供应商责任</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="317"/>
        <source>Allowed resolutions</source>
        <translation>允许的处理方式</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="317"/>
        <source>In use</source>
        <translation>启用</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="318"/>
        <source>&amp;Add reason…</source>
        <translation>添加原因(&amp;A)…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="319"/>
        <source>&amp;Change…</source>
        <translation>修改(&amp;C)…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="335"/>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="335"/>
        <source>No</source>
        <translation>否</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="350"/>
        <source>&amp;Reinstate</source>
        <translation>恢复启用(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="351"/>
        <source>&amp;Retire</source>
        <translation>停用(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="360"/>
        <source>Return reason {code} saved.</source>
        <translation>退货原因 {code} 已保存。</translation>
    </message>
</context>
<context>
    <name>RefundMethod</name>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="225"/>
        <source>Original payment</source>
        <translation>原路退回</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="226"/>
        <source>Store credit</source>
        <translation>门店储值</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="227"/>
        <source>Cash</source>
        <translation>现金</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="228"/>
        <source>Bank transfer</source>
        <translation>银行转账</translation>
    </message>
</context>
<context>
    <name>RefurbishScreen</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/refurbish.py" line="55"/>
        <source>Waiting</source>
        <translation>待处理</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/refurbish.py" line="56"/>
        <source>Back in stock</source>
        <translation>已回库</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/refurbish.py" line="57"/>
        <source>Scrapped</source>
        <translation>已报废</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/refurbish.py" line="61"/>
        <source>Back in stock, grade {grade}</source>
        <translation>已回库，成色 {grade}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/refurbish.py" line="62"/>
        <source>Scrapped: {reason}</source>
        <translation>已报废：{reason}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/refurbish.py" line="63"/>
        <source>{who}, signed off by {supervisor}</source>
        <translation>{who}，主管 {supervisor} 授权</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/refurbish.py" line="82"/>
        <location filename="../../desktop/returndesk/ui/screens/refurbish.py" line="108"/>
        <source>Item tag</source>
        <translation>商品标签</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/refurbish.py" line="82"/>
        <location filename="../../desktop/returndesk/ui/screens/refurbish.py" line="108"/>
        <source>SKU</source>
        <translation>SKU</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/refurbish.py" line="83"/>
        <source>Product</source>
        <translation>商品</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/refurbish.py" line="83"/>
        <source>Grade</source>
        <translation>成色</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/refurbish.py" line="84"/>
        <source>Cost</source>
        <translation>成本</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/refurbish.py" line="109"/>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/refurbish.py" line="109"/>
        <source>Parts</source>
        <translation>配件</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/refurbish.py" line="110"/>
        <source>By</source>
        <translation>处理人</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/refurbish.py" line="239"/>
        <source>Refurbish and scrap</source>
        <translation>翻新与报废</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/refurbish.py" line="240"/>
        <source>Scan an item tag to find its unit ({key})</source>
        <translation>扫描商品标签查找该件商品（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/refurbish.py" line="242"/>
        <source>Refresh ({key})</source>
        <translation>刷新（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/refurbish.py" line="243"/>
        <source>Work on the unit</source>
        <translation>处理该件商品</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/refurbish.py" line="244"/>
        <source>Repair note:</source>
        <translation>维修说明：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/refurbish.py" line="245"/>
        <source>What was done, e.g. new cable, cleaned</source>
        <translation>做了什么，例如：更换数据线、清洁</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/refurbish.py" line="246"/>
        <source>Parts cost:</source>
        <translation>配件成本：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/refurbish.py" line="247"/>
        <source>New grade:</source>
        <translation>新成色：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/refurbish.py" line="248"/>
        <source>Back to stock ({key})</source>
        <translation>回库（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/refurbish.py" line="249"/>
        <source>Scrap reason:</source>
        <translation>报废原因：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/refurbish.py" line="250"/>
        <source>Why it cannot be repaired</source>
        <translation>无法修复的原因</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/refurbish.py" line="251"/>
        <source>Scrap ({key})</source>
        <translation>报废（{key}）</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/returndesk/ui/screens/refurbish.py" line="277"/>
        <source>%n unit(s) waiting for refurbishment</source>
        <translation>
            <numerusform>%n 件商品待翻新</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/refurbish.py" line="278"/>
        <source>No unit is waiting for refurbishment.</source>
        <translation>没有待翻新的商品。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/refurbish.py" line="279"/>
        <source>Finished lately</source>
        <translation>最近处理完成</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/refurbish.py" line="298"/>
        <source>No unit chosen</source>
        <translation>未选择商品</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/refurbish.py" line="299"/>
        <source>Choose a unit in the list, or scan its item tag.</source>
        <translation>请在列表中选择商品，或扫描其商品标签。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/refurbish.py" line="302"/>
        <source>{tag} · {sku} {product} — {status}</source>
        <translation>{tag} · {sku} {product} — {status}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/refurbish.py" line="304"/>
        <source>Graded {grade} at inspection; cost {cost}</source>
        <translation>质检成色 {grade}；成本 {cost}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/refurbish.py" line="307"/>
        <source>Inspection note: {note}</source>
        <translation>质检备注：{note}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/refurbish.py" line="311"/>
        <source>Finished {when} by {who}</source>
        <translation>{who} 于 {when} 处理完成</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/refurbish.py" line="313"/>
        <source>Repair note: {note}</source>
        <translation>维修说明：{note}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/refurbish.py" line="315"/>
        <source>Parts: {amount}</source>
        <translation>配件：{amount}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/refurbish.py" line="317"/>
        <source>Scrap reason: {reason}</source>
        <translation>报废原因：{reason}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/refurbish.py" line="319"/>
        <source>Signed off by {name}</source>
        <translation>授权主管：{name}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/refurbish.py" line="329"/>
        <source>Scrapping above {limit} (cost and parts) needs a supervisor: you are one.</source>
        <translation>报废价值（成本加配件）超过 {limit} 需要主管授权：您就是主管。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/refurbish.py" line="332"/>
        <source>Scrapping above {limit} (cost and parts) needs a supervisor&apos;s sign-off.</source>
        <translation>报废价值（成本加配件）超过 {limit} 需要主管现场授权。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/refurbish.py" line="337"/>
        <source>working on the refurbish queue</source>
        <translation>处理翻新队列</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/refurbish.py" line="368"/>
        <source>“{text}” is not an amount; type the parts cost, e.g. 8.50.</source>
        <translation>“{text}”不是金额；请输入配件成本，例如 8.50。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/refurbish.py" line="384"/>
        <source>{tag} is back in available stock at grade {grade}.</source>
        <translation>{tag} 已按成色 {grade} 回到可售库存。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/refurbish.py" line="394"/>
        <source>Type why the unit is scrapped.</source>
        <translation>请输入报废原因。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/refurbish.py" line="403"/>
        <source>{tag} is scrapped.</source>
        <translation>{tag} 已报废。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/refurbish.py" line="409"/>
        <source>Scrap {tag} ({sku}), worth {value}: above the limit of {limit}.</source>
        <translation>报废 {tag}（{sku}），价值 {value}：超过限额 {limit}。</translation>
    </message>
</context>
<context>
    <name>RejectReason</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/models.py" line="66"/>
        <source>The return window has passed</source>
        <translation>已超过退货期限</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/models.py" line="67"/>
        <source>The item cannot be returned</source>
        <translation>该商品不支持退货</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/models.py" line="68"/>
        <source>Used or damaged by the customer</source>
        <translation>顾客使用过或人为损坏</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/models.py" line="69"/>
        <source>The purchase could not be confirmed</source>
        <translation>无法核实购买记录</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/models.py" line="70"/>
        <source>Already on another request</source>
        <translation>已在其他申请中</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/models.py" line="71"/>
        <source>The customer did not answer</source>
        <translation>顾客未回复</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/models.py" line="72"/>
        <source>Other reason (write it)</source>
        <translation>其他原因（请填写）</translation>
    </message>
</context>
<context>
    <name>Resolution</name>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="241"/>
        <source>Refund</source>
        <translation>退款</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="242"/>
        <source>Exchange</source>
        <translation>换货</translation>
    </message>
</context>
<context>
    <name>ReturnDeskApp</name>
    <message>
        <location filename="../../desktop/returndesk/ui/app.py" line="178"/>
        <source>This station used to log in to the PostgreSQL database itself; stations now work through the ReturnDesk server, and the old login was removed from this computer. Choose &quot;A ReturnDesk server&quot; and enter its address (ask the administrator).</source>
        <extracomment>How often a local database&apos;s housekeeping runs while the application is open.</extracomment>
        <translation>本工位以前直接登录 PostgreSQL 数据库；现在工位通过 ReturnDesk 服务器工作，旧的登录信息已从本机删除。请选择“ReturnDesk 服务器”并输入其地址（请向管理员询问）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/app.py" line="245"/>
        <source>Opening the database {database}…</source>
        <translation>正在打开数据库 {database}…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/app.py" line="269"/>
        <source>The server&apos;s certificate was not confirmed; the station did not connect.</source>
        <translation>未确认服务器的证书；工位没有连接。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/app.py" line="307"/>
        <source>saving the time zone</source>
        <translation>保存时区</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/app.py" line="312"/>
        <source>reading the time zone</source>
        <translation>读取时区</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/app.py" line="347"/>
        <source>The ReturnDesk server at {address} shows a different certificate than the one this station confirmed, so the station does not connect: someone may be intercepting the connection. Confirmed: {pinned}. Now: {presented}. Ask the administrator; only if the server really got a new certificate, choose the server again here and confirm the new fingerprint.</source>
        <translation>{address} 上的 ReturnDesk 服务器出示的证书与本工位确认过的证书不同，因此工位不会连接：可能有人在截取连接。已确认：{pinned}。现在：{presented}。请联系管理员；只有在服务器确实换了新证书时，才在此重新选择该服务器并确认新的指纹。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/app.py" line="335"/>
        <source>opening the database</source>
        <translation>打开数据库</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/app.py" line="359"/>
        <source>ReturnDesk cannot use this database</source>
        <translation>ReturnDesk 无法使用此数据库</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/app.py" line="361"/>
        <source>Choose another database…</source>
        <translation>选择其他数据库…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/app.py" line="362"/>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/app.py" line="389"/>
        <source>The ReturnDesk server has no users yet. The administrator makes the first one on the server&apos;s computer (returndesk user add --role admin NAME); then start this station again.</source>
        <translation>ReturnDesk 服务器还没有用户。请管理员在服务器所在的计算机上创建第一个用户（returndesk user add --role admin NAME），然后重新启动本工位。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/app.py" line="393"/>
        <source>Filling the new database with demo data…</source>
        <translation>正在向新数据库填入演示数据…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/app.py" line="401"/>
        <source>Filling the new database with demo data…
{stage}: {done} of {total}</source>
        <translation>正在向新数据库填入演示数据…
{stage}：{done}/{total}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/app.py" line="411"/>
        <source>filling the demo database</source>
        <translation>填入演示数据</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/app.py" line="451"/>
        <source>listing the demo users</source>
        <translation>列出演示用户</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/app.py" line="592"/>
        <source>An administrator ended your session. Sign in again to go on.</source>
        <translation>管理员已结束您的会话。请重新登录后继续。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/app.py" line="594"/>
        <source>Your account has been disabled. Ask an administrator.</source>
        <translation>您的账户已被停用。请联系管理员。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/app.py" line="596"/>
        <source>Your session has expired. Sign in again to go on.</source>
        <translation>您的会话已过期。请重新登录后继续。</translation>
    </message>
</context>
<context>
    <name>ReturnDetailDialog</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="856"/>
        <source>Return {rma}</source>
        <extracomment>The detail page&apos;s section of the user guide (F1).</extracomment>
        <translation>退货单 {rma}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="856"/>
        <source>Return</source>
        <translation>退货单</translation>
    </message>
</context>
<context>
    <name>ReturnDetailPage</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="300"/>
        <source>Authorize</source>
        <extracomment>The shortcut of each action (the approval desk&apos;s where it has the same action). Actions that need the written reason. Pause after a change notification before the return is read again (a burst costs one read). Where documents are saved when the station has no printer for them.</extracomment>
        <translation>授权</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="301"/>
        <source>Reject request</source>
        <translation>驳回申请</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="302"/>
        <source>Cancel return</source>
        <translation>取消退货</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="303"/>
        <source>Receive parcel</source>
        <translation>签收包裹</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="304"/>
        <source>Inspect</source>
        <translation>质检</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="305"/>
        <source>Approve refund</source>
        <translation>批准退款</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="306"/>
        <source>Override policy</source>
        <translation>政策例外批准</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="307"/>
        <source>Reject refund</source>
        <translation>拒绝退款</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="308"/>
        <source>Issue refund</source>
        <translation>办理退款</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="309"/>
        <source>Exchange…</source>
        <translation>换货…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="310"/>
        <source>Close</source>
        <translation>结案</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="311"/>
        <source>Reopen request</source>
        <translation>重新打开申请</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="312"/>
        <source>Hand over replacement</source>
        <translation>交付换货商品</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="313"/>
        <source>Ship replacement</source>
        <translation>寄出换货商品</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="314"/>
        <source>Cancel exchange</source>
        <translation>取消换货</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="315"/>
        <source>Collect difference</source>
        <translation>收取差价</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="320"/>
        <source>Return</source>
        <translation>退货单</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="321"/>
        <source>Refund</source>
        <translation>退款</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="322"/>
        <source>Actions</source>
        <translation>操作</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="323"/>
        <source>Reason:</source>
        <translation>原因：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="324"/>
        <source>Why — needed to reject, cancel, override or reopen ({key})</source>
        <translation>原因——驳回、取消、例外批准或重新打开时必填（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="326"/>
        <source>Refund by:</source>
        <translation>退款方式：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="327"/>
        <source>Customer pays by:</source>
        <translation>顾客付款方式：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="328"/>
        <source>Units</source>
        <translation>单件</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="329"/>
        <source>Timeline</source>
        <translation>时间线</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="330"/>
        <source>Documents</source>
        <translation>单据</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="331"/>
        <source>&amp;Print</source>
        <translation>打印(&amp;P)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="332"/>
        <source>Print the selected document; a copy after the first is marked as a reprint ({key})</source>
        <translation>打印选中的单据；第一份之后的每份都标注为补打（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="334"/>
        <source>Print log</source>
        <translation>打印记录</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="388"/>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="390"/>
        <source>reading the return</source>
        <translation>读取退货单</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="444"/>
        <source>No return chosen</source>
        <translation>未选择退货单</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="452"/>
        <source>{status} since {when}</source>
        <translation>自 {when} 起{status}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="454"/>
        <source>No customer recorded</source>
        <translation>未登记顾客</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="457"/>
        <source>Customer</source>
        <translation>顾客</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="460"/>
        <source>{in_window} in {days} days, {all_time} in all</source>
        <translation>近 {days} 天 {in_window} 次，累计 {all_time} 次</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="463"/>
        <source>frequent returner</source>
        <translation>频繁退货</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="464"/>
        <source>Their returns</source>
        <translation>退货记录</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="465"/>
        <source>Order</source>
        <translation>订单</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="466"/>
        <source>{order}, sold {sold}</source>
        <translation>{order}，售出于 {sold}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="468"/>
        <source>Channel</source>
        <translation>渠道</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="469"/>
        <source>Site</source>
        <translation>门店/仓库</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="470"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="472"/>
        <source>Set by</source>
        <translation>设置人</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="475"/>
        <source>Created</source>
        <translation>创建</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="476"/>
        <source>{when} by {who}</source>
        <translation>{when}，{who}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="479"/>
        <source>Station</source>
        <translation>工位</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="480"/>
        <source>Receive by</source>
        <translation>最晚签收日</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="481"/>
        <source>Inspected by</source>
        <translation>质检人</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="484"/>
        <source>Approval</source>
        <translation>审批</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="486"/>
        <source>Override</source>
        <translation>例外批准</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="488"/>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="501"/>
        <source>Paid for the goods</source>
        <translation>商品实付</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="502"/>
        <source>of which tax</source>
        <translation>其中税额</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="503"/>
        <source>Grade deductions</source>
        <translation>等级扣减</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="505"/>
        <source>Restocking fees</source>
        <translation>重新上架费</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="506"/>
        <source>Shipping refunded</source>
        <translation>退还运费</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="508"/>
        <source>Refund total</source>
        <translation>退款合计</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="509"/>
        <source>Method</source>
        <translation>方式</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="512"/>
        <source>{number} by {who}, {when}</source>
        <translation>{number}，{who}，{when}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="515"/>
        <source>credit note {number}</source>
        <translation>贷项通知单 {number}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="516"/>
        <source>Refunded</source>
        <translation>已退款</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="524"/>
        <source>Exchange: replacement order {order} ({status}), goods {value}, difference {difference}</source>
        <translation>换货：换货单 {order}（{status}），换出商品 {value}，差额 {difference}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="529"/>
        <source>stock reserved</source>
        <translation>已预留库存</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="529"/>
        <source>handed over</source>
        <translation>已交付</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="530"/>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="538"/>
        <source>Not possible while the return is {status}.</source>
        <translation>退货单处于“{status}”状态，无法执行。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="541"/>
        <source>Your role ({role}) may not do this.</source>
        <translation>您的角色（{role}）无权执行此操作。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="543"/>
        <source>Not your role: {reason}</source>
        <translation>角色无权：{reason}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="544"/>
        <source>Segregation of duties: {reason}</source>
        <translation>职责分离：{reason}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="545"/>
        <source>Above your limit: {reason}</source>
        <translation>超出您的额度：{reason}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="546"/>
        <source>Return policy: {reason}</source>
        <translation>退货政策：{reason}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="564"/>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="569"/>
        <source>{action} ({key})</source>
        <translation>{action}（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="572"/>
        <source>{action} ({key}): {why}</source>
        <translation>{action}（{key}）：{why}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="575"/>
        <source>{action}: {why}</source>
        <translation>{action}：{why}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="621"/>
        <source>Collect {amount}</source>
        <translation>收款 {amount}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="665"/>
        <source>Working…</source>
        <translation>正在处理…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="682"/>
        <source>Return {rma} is authorized.</source>
        <translation>退货单 {rma} 已授权。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="683"/>
        <source>The request {rma} is rejected.</source>
        <translation>退货申请 {rma} 已驳回。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="684"/>
        <source>Return {rma} is cancelled.</source>
        <translation>退货单 {rma} 已取消。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="685"/>
        <source>The parcel of {rma} is received.</source>
        <translation>{rma} 的包裹已签收。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="686"/>
        <source>The refund of {rma} is approved.</source>
        <translation>{rma} 的退款已批准。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="687"/>
        <source>The policy is overridden and the refund of {rma} approved.</source>
        <translation>已按政策例外批准 {rma} 的退款。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="688"/>
        <source>The refund of {rma} is rejected.</source>
        <translation>{rma} 的退款已拒绝。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="689"/>
        <source>The refund of {rma} is issued.</source>
        <translation>{rma} 的退款已办理。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="690"/>
        <source>Return {rma} is closed.</source>
        <translation>退货单 {rma} 已结案。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="691"/>
        <source>The request {rma} is open again and waits for authorization.</source>
        <translation>退货申请 {rma} 已重新打开，等待授权。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="692"/>
        <source>The replacement of {rma} is handed over.</source>
        <translation>{rma} 的换货商品已交付。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="693"/>
        <source>The replacement of {rma} is shipped; its packing slip is printed.</source>
        <translation>{rma} 的换货商品已寄出，发货单已打印。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="695"/>
        <source>The replacement of {rma} is cancelled and its goods are available again; finance settles what the customer is owed.</source>
        <translation>{rma} 的换货已取消，预留商品已恢复可售；应退给顾客的款项由财务结算。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="698"/>
        <source>The difference of {rma} is paid; the replacement can be handed over.</source>
        <translation>{rma} 的差价已收取；换货商品可以交付了。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="754"/>
        <source>Printing…</source>
        <translation>正在打印…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="759"/>
        <source>Reprint {n} of {reference} saved: {where}</source>
        <translation>{reference} 第 {n} 次补打已保存：{where}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="762"/>
        <source>{reference} saved: {where}</source>
        <translation>{reference} 已保存：{where}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="770"/>
        <source>Printed: {what}</source>
        <translation>已打印：{what}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="780"/>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="782"/>
        <source>printing</source>
        <translation>打印</translation>
    </message>
</context>
<context>
    <name>ReturnStatus</name>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="192"/>
        <source>Draft</source>
        <translation>草稿</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="193"/>
        <source>Requested</source>
        <translation>已申请</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="194"/>
        <source>Waiting for the customer</source>
        <translation>等待顾客回复</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="195"/>
        <source>Authorized</source>
        <translation>已授权</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="196"/>
        <source>Received</source>
        <translation>已收货</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="197"/>
        <source>Inspected</source>
        <translation>已质检</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="198"/>
        <source>Awaiting approval</source>
        <translation>待审批</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="199"/>
        <source>Approved</source>
        <translation>已批准</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="200"/>
        <source>Refund rejected</source>
        <translation>退款被拒</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="201"/>
        <source>Refunded</source>
        <translation>已退款</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="202"/>
        <source>Exchanged</source>
        <translation>已换货</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="203"/>
        <source>Closed</source>
        <translation>已关闭</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="204"/>
        <source>Rejected</source>
        <translation>已拒绝</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="205"/>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="206"/>
        <source>Expired</source>
        <translation>已过期</translation>
    </message>
</context>
<context>
    <name>ReturnsListScreen</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="181"/>
        <source>Excel workbook (*.xlsx)</source>
        <extracomment>Chooses the file an export is written to: (parent, suggested name, format) -&gt; path, or None.</extracomment>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="182"/>
        <source>CSV file (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="185"/>
        <source>Export the returns</source>
        <translation>导出退货单</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="381"/>
        <source>Returns</source>
        <translation>退货查询</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="382"/>
        <source>RMA, order number or customer phone</source>
        <translation>退货单号、订单号或顾客电话</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="383"/>
        <source>Type and press Enter to search; empty shows the newest returns ({key})</source>
        <translation>输入后按回车搜索；留空则显示最新的退货单（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="386"/>
        <source>&amp;Search</source>
        <translation>搜索(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="387"/>
        <source>Search (Enter)</source>
        <translation>搜索（回车）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="388"/>
        <source>Status:</source>
        <translation>状态：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="389"/>
        <source>Created from:</source>
        <translation>创建日期从：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="390"/>
        <source>to:</source>
        <translation>至：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="392"/>
        <source>any day</source>
        <translation>不限</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="393"/>
        <source>Days of this station&apos;s site; the earliest day means no limit</source>
        <translation>按本工位所在门店/仓库的日期；最早的日期表示不限</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="394"/>
        <source>Reason:</source>
        <translation>原因：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="395"/>
        <source>Channel:</source>
        <translation>渠道：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="396"/>
        <source>Station:</source>
        <translation>工位：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="397"/>
        <source>station that issued the RMA</source>
        <translation>开具退货单的工位</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="398"/>
        <source>Customer:</source>
        <translation>顾客：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="399"/>
        <source>part of the name or phone</source>
        <translation>姓名或电话的一部分</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="400"/>
        <source>Refund:</source>
        <translation>退款：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="401"/>
        <source>from</source>
        <translation>从</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="402"/>
        <source>to</source>
        <translation>至</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="403"/>
        <source>C&amp;lear filters</source>
        <translation>清除筛选(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="404"/>
        <source>Export to &amp;Excel…</source>
        <translation>导出 Excel(&amp;E)…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="405"/>
        <source>Export to C&amp;SV…</source>
        <translation>导出 CSV(&amp;S)…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="407"/>
        <source>Your role may not export; ask a supervisor or finance.</source>
        <translation>您的角色无权导出；请联系主管或财务。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="411"/>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="412"/>
        <source>Every return the search finds, with these columns</source>
        <translation>导出查询到的全部退货单，列与列表相同</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="413"/>
        <source>Enter or double-click opens the return; click the Created or Refund header to sort</source>
        <translation>回车或双击打开退货单；点击“创建时间”或“退款”列标题排序</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="430"/>
        <source>Any status</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="432"/>
        <source>Any channel</source>
        <translation>全部渠道</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="435"/>
        <source>Any reason</source>
        <translation>全部原因</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="463"/>
        <source>The {which} refund amount “{text}” is not an amount; write it like 120 or 99.50.</source>
        <translation>{which}退款金额“{text}”不是有效金额；请写成 120 或 99.50 这样的格式。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="477"/>
        <source>lowest</source>
        <translation>最低</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="478"/>
        <source>highest</source>
        <translation>最高</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="558"/>
        <source>returns-{day}.{fmt}</source>
        <translation>退货单-{day}.{fmt}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="570"/>
        <source>The file {path} cannot be written ({reason}); choose another place.</source>
        <translation>无法写入文件 {path}（{reason}）；请选择其他位置。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="586"/>
        <source>%n return(s) exported.</source>
        <translation>
            <numerusform>已导出 %n 张退货单。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="587"/>
        <source>File: {path}</source>
        <translation>文件：{path}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="594"/>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="596"/>
        <source>exporting the returns</source>
        <translation>导出退货单</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="613"/>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="615"/>
        <source>loading the returns list</source>
        <translation>载入退货列表</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="625"/>
        <source>Searching…</source>
        <translation>正在搜索…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="627"/>
        <source>No return matches “{query}”. Check the RMA, order number or phone.</source>
        <translation>没有与“{query}”匹配的退货单。请核对退货单号、订单号或电话。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="630"/>
        <source>No return matches these filters. Clear some of them to see more.</source>
        <translation>没有符合这些筛选条件的退货单。清除部分条件可查看更多。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="632"/>
        <source>There are no returns yet.</source>
        <translation>还没有退货单。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="634"/>
        <source>%n return(s).</source>
        <translation>
            <numerusform>共 %n 张退货单。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="636"/>
        <source>%n return(s) shown; scroll down for more.</source>
        <translation>
            <numerusform>已显示 %n 张退货单；向下滚动查看更多。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ReturnsTableModel</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="121"/>
        <source>{status} since {when}</source>
        <extracomment>The columns the list sorts by (in the services, so paging keeps the order).</extracomment>
        <translation>{status}（自 {when} 起）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="161"/>
        <source>RMA</source>
        <translation>退货单号</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="161"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="161"/>
        <source>Order</source>
        <translation>订单号</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="161"/>
        <source>Customer</source>
        <translation>顾客</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="161"/>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="162"/>
        <source>Items</source>
        <translation>件数</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="162"/>
        <source>Refund</source>
        <translation>退款</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="162"/>
        <source>Channel</source>
        <translation>渠道</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="162"/>
        <source>Created</source>
        <translation>创建时间</translation>
    </message>
</context>
<context>
    <name>ReviewFlag</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/models.py" line="58"/>
        <source>Web shop</source>
        <translation>网店</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/models.py" line="59"/>
        <source>Outside the policy</source>
        <translation>超出政策</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/models.py" line="60"/>
        <source>Frequent returner</source>
        <translation>频繁退货</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/models.py" line="61"/>
        <source>Declined before</source>
        <translation>曾被拒绝</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/models.py" line="62"/>
        <source>Customer answered</source>
        <translation>顾客已回复</translation>
    </message>
</context>
<context>
    <name>ReviewLinesTableModel</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/models.py" line="261"/>
        <source>{requested} of {bought}</source>
        <translation>{requested} / {bought}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/models.py" line="293"/>
        <source>#</source>
        <translation>#</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/models.py" line="293"/>
        <source>Product</source>
        <translation>商品</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/models.py" line="293"/>
        <source>Qty</source>
        <translation>数量</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/models.py" line="293"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/models.py" line="293"/>
        <source>Wants</source>
        <translation>诉求</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/models.py" line="294"/>
        <source>Policy</source>
        <translation>政策</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/models.py" line="294"/>
        <source>Refund</source>
        <translation>退款</translation>
    </message>
</context>
<context>
    <name>ReviewQueueTableModel</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/models.py" line="182"/>
        <source>Walk-in customer</source>
        <extracomment>Flags that call for a closer look (shown in the warning colour).</extracomment>
        <translation>到店顾客</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/models.py" line="185"/>
        <source>Web shop</source>
        <translation>网店</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/models.py" line="185"/>
        <source>Phone or online</source>
        <translation>电话或线上</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/models.py" line="197"/>
        <source>{count} returns</source>
        <translation>退货 {count} 次</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/models.py" line="198"/>
        <location filename="../../desktop/returndesk/ui/screens/review/models.py" line="218"/>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/models.py" line="215"/>
        <source>{rma} · order {order} · requested {when}</source>
        <translation>{rma} · 订单 {order} · 申请于 {when}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/models.py" line="194"/>
        <location filename="../../desktop/returndesk/ui/screens/review/models.py" line="220"/>
        <source>Asked: {question}</source>
        <translation>已提问：{question}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/models.py" line="222"/>
        <source>Answer: {answer}</source>
        <translation>回复：{answer}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/models.py" line="229"/>
        <source>Waiting</source>
        <translation>等待</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/models.py" line="229"/>
        <source>RMA · customer</source>
        <translation>退货单 · 顾客</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/models.py" line="229"/>
        <source>From</source>
        <translation>来源</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/models.py" line="229"/>
        <source>Refund</source>
        <translation>退款</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/models.py" line="230"/>
        <source>Policy</source>
        <translation>政策</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/models.py" line="230"/>
        <source>History and flags</source>
        <translation>历史与标记</translation>
    </message>
</context>
<context>
    <name>ReviewScreen</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="183"/>
        <source>Return requests</source>
        <translation>退货申请</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="184"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="185"/>
        <source>Read the queue again ({key})</source>
        <translation>重新读取队列（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="187"/>
        <source>Switch between the two lists ({key})</source>
        <translation>在两个列表之间切换（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="189"/>
        <source>Oldest request first. Up/Down choose a request, Enter authorizes it.</source>
        <translation>最早的申请在前。上下键选择申请，回车批准退货。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="190"/>
        <source>Choose a request in the queue to see it here.</source>
        <translation>在队列中选择一条申请，在此查看。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="192"/>
        <source>Lines and the policy&apos;s verdict</source>
        <translation>明细与政策判定</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="193"/>
        <source>Flags</source>
        <translation>标记</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="194"/>
        <source>Questions to the customer</source>
        <translation>向顾客提出的问题</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="200"/>
        <source>Authorize ({key})</source>
        <translation>批准退货（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="201"/>
        <source>Print label ({key})</source>
        <translation>打印标签（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="202"/>
        <source>Re&amp;ject because:</source>
        <translation>拒绝原因(&amp;J)：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="207"/>
        <source>Reject ({key})</source>
        <translation>拒绝（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="208"/>
        <source>&amp;Question:</source>
        <translation>问题(&amp;Q)：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="204"/>
        <source>Your words for the customer</source>
        <translation>给顾客的说明</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="203"/>
        <source>Outside the policy: why a supervisor accepts it</source>
        <translation>超出退货政策：主管接受的理由</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="205"/>
        <source>Added to the reason chosen; required for “other”. The customer reads them on the status page.</source>
        <translation>附在所选原因之后；选“其他原因”时必填。顾客可在进度查询页面看到。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="209"/>
        <source>Your question to the customer</source>
        <translation>向顾客提出的问题</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="210"/>
        <source>What the customer should tell us; they read it on the status page and answer there, or through the web shop.</source>
        <translation>需要顾客补充的信息；顾客在进度查询页面看到并在那里回复，或通过网店回复。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="212"/>
        <source>Ask the customer ({key})</source>
        <translation>询问顾客（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="213"/>
        <source>The customer&apos;s answer, taken by phone or e-mail</source>
        <translation>顾客通过电话或邮件给出的回复</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="214"/>
        <source>Record answer ({key})</source>
        <translation>记录回复（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="255"/>
        <source>counting the requests</source>
        <translation>统计申请数量</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="260"/>
        <source>To review ({count})</source>
        <translation>待审核（{count}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="261"/>
        <source>To review</source>
        <translation>待审核</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="262"/>
        <source>Waiting for the customer ({count})</source>
        <translation>等待顾客回复（{count}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="263"/>
        <source>Waiting for the customer</source>
        <translation>等待顾客回复</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="285"/>
        <source>reading the review queue</source>
        <translation>读取审核队列</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="289"/>
        <source>No request waits for a customer&apos;s answer.</source>
        <translation>没有等待顾客回复的申请。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="291"/>
        <source>No request waits for review.</source>
        <translation>没有待审核的申请。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="293"/>
        <source>Requests shown: {count}.</source>
        <translation>已显示申请：{count} 条。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="294"/>
        <source>Requests shown: {count}; scroll down for more.</source>
        <translation>已显示申请：{count} 条；向下滚动查看更多。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="329"/>
        <source>reading the request</source>
        <translation>读取申请</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="336"/>
        <source>from the web shop</source>
        <translation>来自网店</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="337"/>
        <source>taken by {who}</source>
        <translation>由 {who} 受理</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="341"/>
        <source>Walk-in customer</source>
        <translation>到店顾客</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="341"/>
        <source>Customer</source>
        <translation>顾客</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="342"/>
        <source>Order</source>
        <translation>订单</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="343"/>
        <source>Requested</source>
        <translation>申请时间</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="345"/>
        <source>Label</source>
        <translation>标签</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="345"/>
        <source>sent to the web shop {when}</source>
        <translation>已于 {when} 发送至网店</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="348"/>
        <source>Parcel due</source>
        <translation>包裹寄达期限</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="350"/>
        <source>Customer&apos;s note: {note}</source>
        <translation>顾客备注：{note}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="354"/>
        <source>Reasons of earlier returns: {reasons}</source>
        <translation>以往退货原因：{reasons}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="355"/>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="358"/>
        <source>No earlier returns.</source>
        <translation>没有以往退货。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="361"/>
        <source>{count} declined before</source>
        <translation>曾被拒绝 {count} 次</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="362"/>
        <source>Nothing unusual.</source>
        <translation>无异常。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="365"/>
        <source>{when} {who} asked: {question}</source>
        <translation>{when} {who} 提问：{question}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="368"/>
        <source>{when} {who} answered: {answer}</source>
        <translation>{when} {who} 回复：{answer}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="369"/>
        <source>the customer</source>
        <translation>顾客</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="371"/>
        <source>No answer yet.</source>
        <translation>尚未回复。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="391"/>
        <source>Authorize the request; the return label is sent to the web shop</source>
        <translation>批准该申请；退货标签发送至网店</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="392"/>
        <source>Authorize the request and print its return label</source>
        <translation>批准该申请并打印退货标签</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="394"/>
        <source>Decline the request with the reason chosen and your words</source>
        <translation>按所选原因和您的说明拒绝该申请</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="396"/>
        <source>Put the request on hold and ask the customer the question written in the field</source>
        <translation>暂缓该申请，并向顾客提出输入框中的问题</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="398"/>
        <source>Record the customer&apos;s answer; the request goes back to the queue</source>
        <translation>记录顾客的回复；申请回到审核队列</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="424"/>
        <source>Print the return label again (a marked reprint)</source>
        <translation>再次打印退货标签（标记为重印）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="425"/>
        <source>The label is printed once the request is authorized.</source>
        <translation>申请批准后才能打印标签。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="428"/>
        <source>Waiting for the customer&apos;s answer since {when}. It comes back to the queue when they answer on the status page; record an answer given by phone here, or decline the request.</source>
        <translation>自 {when} 起等待顾客回复。顾客在进度查询页面回复后，申请回到队列；顾客通过电话回复的，请在此记录，或拒绝该申请。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="435"/>
        <source>This request is {status} now; nothing is left to review.</source>
        <translation>该申请当前状态为“{status}”，无需再审核。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="450"/>
        <source>This request is outside the return policy: write why it is accepted (at least {count} characters), then authorize again.</source>
        <translation>该申请超出退货政策：请写明接受的理由（至少 {count} 个字符），然后再次授权。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="456"/>
        <source>authorizing the request</source>
        <translation>批准申请</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="466"/>
        <source>Write why the request is declined (at least {count} characters), then reject again.</source>
        <translation>请填写拒绝原因（至少 {count} 个字），然后再次拒绝。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="471"/>
        <source>rejecting the request</source>
        <translation>拒绝申请</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="480"/>
        <source>Write the question for the customer (at least {count} characters), then ask again.</source>
        <translation>请填写要问顾客的问题（至少 {count} 个字），然后再次询问。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="484"/>
        <source>asking the customer</source>
        <translation>询问顾客</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="493"/>
        <source>Write the customer&apos;s answer (at least {count} characters), then record it again.</source>
        <translation>请填写顾客的回复（至少 {count} 个字），然后再次记录。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="497"/>
        <source>recording the answer</source>
        <translation>记录回复</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="508"/>
        <source>Printing the return label…</source>
        <translation>正在打印退货标签…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="531"/>
        <source> The parcel is due by {date}.</source>
        <translation>包裹须于 {date} 前寄达。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="533"/>
        <source>{rma} authorized; the return label was sent to the web shop.</source>
        <translation>{rma} 已批准；退货标签已发送至网店。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="536"/>
        <source>{rma} authorized; its return label is printing.</source>
        <translation>{rma} 已批准；正在打印退货标签。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="541"/>
        <source>{rma} declined; the customer sees it on the status page.</source>
        <translation>{rma} 已拒绝；顾客可在进度查询页面看到。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="547"/>
        <source>{rma} waits for the customer&apos;s answer; it comes back here when they answer.</source>
        <translation>{rma} 等待顾客回复；顾客回复后回到此队列。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="552"/>
        <source>{rma}: answer recorded; the request is back in the queue to review.</source>
        <translation>{rma}：已记录回复，申请已回到待审核队列。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="559"/>
        <source>Label printed again (reprint {count}): {where}</source>
        <translation>标签已重印（第 {count} 次重印）：{where}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="562"/>
        <source>Label printed: {where}</source>
        <translation>标签已打印：{where}</translation>
    </message>
</context>
<context>
    <name>RiskScreen</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/risk.py" line="166"/>
        <source>Risk review</source>
        <extracomment>The review opens on its own window (read from the summaries): the last 90 days, today included.</extracomment>
        <translation>风险审查</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/risk.py" line="168"/>
        <source>Customers whose returns in the period look unusual. Nothing is refused: look at their returns and, when it is warranted, put them on the watch list so that their refunds always go to a supervisor.</source>
        <translation>本期间内退货行为异常的顾客。系统不会拒绝任何退货：请查看其退货单，确有必要时将其列入关注名单，此后其退款一律交由主管审批。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/risk.py" line="171"/>
        <source>From</source>
        <translation>从</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/risk.py" line="172"/>
        <source>to</source>
        <translation>至</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/risk.py" line="173"/>
        <source>All sites</source>
        <translation>全部门店/仓库</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/risk.py" line="174"/>
        <source>Site code; days are counted in its time zone</source>
        <translation>门店/仓库代码；日期按其时区计算</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/risk.py" line="175"/>
        <source>&amp;Show</source>
        <translation>显示(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/risk.py" line="176"/>
        <location filename="../../desktop/returndesk/ui/screens/risk.py" line="242"/>
        <source>Customer</source>
        <translation>顾客</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/risk.py" line="177"/>
        <source>Open their returns…</source>
        <translation>打开其退货单…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/risk.py" line="178"/>
        <source>Watch: refunds always go to a supervisor</source>
        <translation>关注：退款一律交由主管审批</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/risk.py" line="179"/>
        <source>Note (why; at least 5 characters)</source>
        <translation>备注（原因，至少 5 个字符）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/risk.py" line="180"/>
        <source>Save the watch flag</source>
        <translation>保存关注标记</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/risk.py" line="191"/>
        <source>many returns</source>
        <translation>退货次数多</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/risk.py" line="192"/>
        <source>returns much of what was bought</source>
        <translation>所购商品大部分被退回</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/risk.py" line="193"/>
        <source>high-value grade-D claims</source>
        <translation>高价值 D 级索赔</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/risk.py" line="194"/>
        <source>serial number seen before</source>
        <translation>序列号曾出现过</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/risk.py" line="195"/>
        <source>returns without a receipt</source>
        <translation>无小票退货</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/risk.py" line="196"/>
        <source>on the watch list</source>
        <translation>在关注名单中</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/risk.py" line="205"/>
        <source>The period ends before it starts; swap the dates.</source>
        <translation>结束日期早于开始日期；请对调两个日期。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/risk.py" line="215"/>
        <source>Loading…</source>
        <translation>正在载入…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/risk.py" line="220"/>
        <source>loading the risk review</source>
        <translation>载入风险审查</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/returndesk/ui/screens/risk.py" line="238"/>
        <source>%n customer(s) to review.</source>
        <translation>
            <numerusform>%n 位顾客待审查。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/risk.py" line="242"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/risk.py" line="242"/>
        <source>Returns</source>
        <translation>退货单数</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/risk.py" line="242"/>
        <source>Units back / bought</source>
        <translation>退回件数 / 购买件数</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/risk.py" line="243"/>
        <source>Grade D, high value</source>
        <translation>D 级高价值</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/risk.py" line="243"/>
        <source>Serials seen before</source>
        <translation>序列号曾出现</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/risk.py" line="243"/>
        <source>Without receipt</source>
        <translation>无小票</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/risk.py" line="244"/>
        <source>Signals</source>
        <translation>信号</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/risk.py" line="286"/>
        <source>Select a customer to see why they are listed.</source>
        <translation>选择一位顾客，查看其被列出的原因。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/risk.py" line="289"/>
        <source>{name} ({code}): {returns} return(s), {units} of {bought} unit(s) bought sent back.</source>
        <translation>{name}（{code}）：{returns} 张退货单，所购 {bought} 件中退回 {units} 件。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/risk.py" line="293"/>
        <source>Why: {signals}</source>
        <translation>原因：{signals}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/risk.py" line="313"/>
        <source>Returns of {name}, {start} to {end}</source>
        <translation>{name} 的退货单，{start} 至 {end}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/risk.py" line="336"/>
        <source>saving the watch flag</source>
        <translation>保存关注标记</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/risk.py" line="340"/>
        <source>Saved: the customer is on the watch list.</source>
        <translation>已保存：该顾客已列入关注名单。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/risk.py" line="341"/>
        <source>Saved: the customer is off the watch list.</source>
        <translation>已保存：该顾客已移出关注名单。</translation>
    </message>
</context>
<context>
    <name>Role</name>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="232"/>
        <source>Counter clerk</source>
        <translation>柜台客服</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="233"/>
        <source>Warehouse inspector</source>
        <translation>仓库质检员</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="234"/>
        <source>Supervisor</source>
        <translation>主管</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="235"/>
        <source>Manager</source>
        <translation>经理</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="236"/>
        <source>Finance</source>
        <translation>财务</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="237"/>
        <source>Administrator</source>
        <translation>管理员</translation>
    </message>
</context>
<context>
    <name>ScanLineEdit</name>
    <message>
        <location filename="../../desktop/returndesk/ui/scanner.py" line="634"/>
        <source>Scan or type a code, then Enter</source>
        <translation>扫描或输入代码后按回车</translation>
    </message>
</context>
<context>
    <name>ScannerSettingsDialog</name>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/scanner_settings.py" line="38"/>
        <source>Return label: RMA {rma}</source>
        <translation>退货标签：退货单 {rma}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/scanner_settings.py" line="39"/>
        <source>Sales receipt: order {order}</source>
        <translation>销售小票：订单 {order}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/scanner_settings.py" line="40"/>
        <source>Inspection command: {name}</source>
        <translation>质检指令：{name}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/scanner_settings.py" line="41"/>
        <source>, serial {serial}</source>
        <translation>，序列号 {serial}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/scanner_settings.py" line="42"/>
        <source>Product barcode {code}{extra}</source>
        <translation>商品条码 {code}{extra}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/scanner_settings.py" line="43"/>
        <source>Item code {code} (not a GTIN: looked up as a SKU)</source>
        <translation>商品编码 {code}（不是 GTIN：按 SKU 查找）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/scanner_settings.py" line="44"/>
        <source>Not understood: {reason}</source>
        <translation>无法识别：{reason}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/scanner_settings.py" line="135"/>
        <source>Scanned “{text}” — {meaning}</source>
        <translation>已扫描“{text}”— {meaning}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/scanner_settings.py" line="150"/>
        <source>Scanners</source>
        <translation>扫描枪</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/scanner_settings.py" line="152"/>
        <source>Set this to match how the station&apos;s USB scanners are programmed. With a prefix, the scanners send STX (Ctrl+B) before each code and Enter after it: scans are recognised whatever has the focus, even over remote desktops. Without a prefix, a fast burst of keys ending with Enter counts as a scan.</source>
        <translation>请按本工位 USB 扫描枪的编程方式设置。使用前缀时，扫描枪在每个条码前发送 STX (Ctrl+B)，之后发送回车：无论焦点在哪里都能识别扫描，远程桌面中也可以。不使用前缀时，以回车结尾的一串快速按键视为一次扫描。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/scanner_settings.py" line="156"/>
        <source>&amp;Recognise scans by:</source>
        <translation>扫描识别方式(&amp;R)：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/scanner_settings.py" line="157"/>
        <source>Prefix STX (recommended)</source>
        <translation>前缀 STX（推荐）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/scanner_settings.py" line="158"/>
        <source>Typing speed only</source>
        <translation>仅按输入速度</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/scanner_settings.py" line="159"/>
        <source>Scanners send the AIM symbology identifier (]C0, ]E0, …)</source>
        <translation>扫描枪发送 AIM 码制标识符（]C0、]E0 …）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/scanner_settings.py" line="160"/>
        <source>Longest &amp;gap between keys:</source>
        <translation>按键最大间隔(&amp;G)：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/scanner_settings.py" line="161"/>
        <source>Shortest &amp;code:</source>
        <translation>最短条码长度(&amp;C)：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/scanner_settings.py" line="162"/>
        <source>Try a scan</source>
        <translation>试扫</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/scanner_settings.py" line="164"/>
        <source>Scan any label, receipt, product or command barcode now: this area says how the station reads it.</source>
        <translation>现在扫描任一标签、小票、商品或指令条码：这里会显示本工位如何识别它。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/scanner_settings.py" line="167"/>
        <source>Waiting for a scan…</source>
        <translation>等待扫描…</translation>
    </message>
</context>
<context>
    <name>ScreenPrinting</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/documents.py" line="90"/>
        <source>The document could not be printed ({reason}); check the printer or the folder, then print again.</source>
        <translation>文件无法打印（{reason}）；请检查打印机或文件夹，然后重新打印。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/documents.py" line="93"/>
        <location filename="../../desktop/returndesk/ui/screens/review/documents.py" line="95"/>
        <source>printing the document</source>
        <translation>打印文件</translation>
    </message>
</context>
<context>
    <name>SecretBox</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/integrations/screen.py" line="94"/>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
</context>
<context>
    <name>ServerCertificateDialog</name>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/server_certificate.py" line="89"/>
        <source>Confirm the server&apos;s certificate</source>
        <translation>确认服务器证书</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/server_certificate.py" line="91"/>
        <source>This station connects to this ReturnDesk server for the first time. Its certificate is self-signed, so only you can tell whether it is the right server.</source>
        <translation>本工位第一次连接这台 ReturnDesk 服务器。其证书为自签名证书，只有您能判断这是否是正确的服务器。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/server_certificate.py" line="93"/>
        <source>Server:</source>
        <translation>服务器：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/server_certificate.py" line="93"/>
        <source>Made for:</source>
        <translation>签发给：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/server_certificate.py" line="93"/>
        <source>Valid until:</source>
        <translation>有效期至：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/server_certificate.py" line="96"/>
        <source>SHA-256 fingerprint:</source>
        <translation>SHA-256 指纹：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/server_certificate.py" line="98"/>
        <source>Compare every pair with the fingerprint that &apos;returndesk server init&apos; printed on the server (the administrator has it). Trust the server only if they are the same; the station then remembers it and refuses a server that shows another certificate.</source>
        <translation>请逐组与服务器上“returndesk server init”输出的指纹（由管理员提供）核对。只有完全一致时才信任该服务器；工位随后会记住它，并拒绝出示其他证书的服务器。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/server_certificate.py" line="101"/>
        <source>&amp;Trust this server</source>
        <translation>信任此服务器(&amp;T)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/server_certificate.py" line="102"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>Services</name>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="30"/>
        <source> for defects and other vendor faults</source>
        <translation>（缺陷及其他供应商责任）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="31"/>
        <source> for {category}</source>
        <translation>（{category}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="33"/>
        <source> — grade {grade}</source>
        <translation> — 等级 {grade}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="34"/>
        <source>&apos;*&apos; stands for all stations; give the code of one station.</source>
        <translation>“*”代表全部工位；请填写某一个工位的代码。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="35"/>
        <source>&apos;{account}&apos; is not an account of the chart; use one of {accounts}.</source>
        <translation>“{account}”不是会计科目表中的科目；请使用以下之一：{accounts}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="36"/>
        <source>&apos;{bucket}&apos; is not a trend bucket; use day or week.</source>
        <translation>“{bucket}”不是趋势的统计周期；请使用 day（天）或 week（周）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="37"/>
        <source>&apos;{candidate}&apos; is not an RMA number: an RMA number is R followed by 10 digits, for example R0000012340.</source>
        <translation>“{candidate}”不是退货单号：退货单号为 R 加 10 位数字，例如 R0000012340。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="38"/>
        <source>&apos;{channel}&apos; is not a channel; use counter or remote.</source>
        <translation>“{channel}”不是渠道；请使用 counter（柜台）或 remote（远程）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="39"/>
        <source>&apos;{channel}&apos; is not a return channel; choose counter or remote.</source>
        <translation>“{channel}”不是退货渠道；请选择 counter（柜台）或 remote（远程）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="40"/>
        <source>&apos;{channel}&apos; is not a return channel; use counter or remote.</source>
        <translation>“{channel}”不是退货渠道；请使用 counter（柜台）或 remote（远程）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="41"/>
        <source>&apos;{chosen}&apos; is not a refund method; use one of {allowed}.</source>
        <translation>“{chosen}”不是退款方式；请使用以下之一：{allowed}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="42"/>
        <source>&apos;{cleaned}&apos; is not an order number: order numbers are SO- followed by digits, as printed on the receipt (for example SO-1042).</source>
        <translation>“{cleaned}”不是订单号：订单号为 SO- 加数字，与小票上印的一致（例如 SO-1042）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="43"/>
        <source>&apos;{code}&apos; cannot be a reason code: use 2 to 32 lower case letters, digits or _, starting with a letter (e.g. arrived_late).</source>
        <translation>“{code}”不能作为原因代码：请使用 2 到 32 个小写字母、数字或 _，并以字母开头（例如 arrived_late）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="46"/>
        <source>&apos;{code}&apos; is not a stage an open return waits in; use one of {open_codes}.</source>
        <translation>“{code}”不是未结退货单所处的阶段；请使用以下之一：{open_codes}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="47"/>
        <source>&apos;{code}&apos; is not a stage; use one of {value}.</source>
        <translation>“{code}”不是阶段；请使用以下之一：{value}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="48"/>
        <source>&apos;{code}&apos; is not a status of a return.</source>
        <translation>“{code}”不是退货单的状态。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="49"/>
        <source>&apos;{code}&apos; is not an {kind}: it needs {lengths} digits, or {lengths2} with the check digit.</source>
        <translation>“{code}”不是有效的 {kind}：需要 {lengths} 位数字，或含校验位的 {lengths2} 位。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="50"/>
        <source>&apos;{collect_method}&apos; is not a way to pay the difference; use one of: {allowed}.</source>
        <translation>“{collect_method}”不是补差价的方式；请使用以下之一：{allowed}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="51"/>
        <source>&apos;{command}&apos; works on the database itself: run it with --url on the database host. Through the server: user, sessions, station printers, housekeeping, export, shift.</source>
        <translation>“{command}”直接在数据库上运行：请在数据库主机上加 --url 运行。可通过服务器运行的命令：user、sessions、station printers、housekeeping、export、shift。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="52"/>
        <source>&apos;{currency}&apos; is not an ISO currency code such as CNY or USD.</source>
        <translation>“{currency}”不是 ISO 货币代码（如 CNY 或 USD）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="53"/>
        <source>&apos;{data}&apos; cannot be a Code 128 barcode: only printable ASCII can be encoded.</source>
        <translation>“{data}”无法生成 Code 128 条码：只能编码可打印的 ASCII 字符。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="54"/>
        <source>&apos;{data}&apos; cannot be a Code 128 barcode: only printable ASCII characters can be encoded.</source>
        <translation>“{data}”无法生成 Code 128 条码：只能编码可打印的 ASCII 字符。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="55"/>
        <source>&apos;{data}&apos; cannot be a Code 128 barcode: {exc}</source>
        <translation>“{data}”无法生成 Code 128 条码：{exc}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="56"/>
        <source>&apos;{dimension}&apos; is not a dimension of return rates; use one of {rate_dimensions}.</source>
        <translation>“{dimension}”不是退货率的统计维度；请使用以下之一：{rate_dimensions}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="57"/>
        <source>&apos;{doc_type}&apos; is not a document type; use one of {kinds}.</source>
        <translation>“{doc_type}”不是单据类型；请使用以下之一：{kinds}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="58"/>
        <source>&apos;{encoding}&apos; is not a text encoding ReturnDesk knows; leave out --encoding to detect UTF-8 or GB18030.</source>
        <translation>“{encoding}”不是 ReturnDesk 认识的文本编码；去掉 --encoding 即可自动识别 UTF-8 或 GB18030。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="59"/>
        <source>&apos;{entity}&apos; is not part of the admin log; choose one of {admin_entities}.</source>
        <translation>“{entity}”不属于管理日志；请选择以下之一：{admin_entities}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="60"/>
        <source>&apos;{fmt}&apos; is not a report format; choose csv, xlsx or json.</source>
        <translation>“{fmt}”不是报表格式；请选择 csv、xlsx 或 json。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="61"/>
        <source>&apos;{fmt}&apos; is not an export format; choose one of {formats}.</source>
        <translation>“{fmt}”不是导出格式；请选择以下之一：{formats}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="62"/>
        <source>&apos;{fmt}&apos; is not an export format; choose xlsx or csv.</source>
        <translation>“{fmt}”不是导出格式；请选择 xlsx 或 csv。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="63"/>
        <source>&apos;{fulfilment}&apos; is not a way to deliver the replacement; hand it over at the counter or ship it.</source>
        <translation>“{fulfilment}”不是换货商品的交付方式；请在柜台当面交付或寄出。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="64"/>
        <source>&apos;{item}&apos; is not DOCUMENT=DESTINATION with DOCUMENT one of {print_documents} (e.g. label=cups:Zebra-Dock1).</source>
        <translation>“{item}”不是 单据=目标 的格式，单据须为以下之一：{print_documents}（例如 label=cups:Zebra-Dock1）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="65"/>
        <source>&apos;{item}&apos; is not a resolution; use refund and/or exchange.</source>
        <translation>“{item}”不是处理方式；请使用 refund（退款）和/或 exchange（换货）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="66"/>
        <source>&apos;{key}&apos; is not a document type.</source>
        <translation>“{key}”不是单据类型。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="67"/>
        <source>&apos;{kind}&apos; cannot be exported; choose one of {file_kinds}.</source>
        <translation>“{kind}”无法导出；请选择以下之一：{file_kinds}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="68"/>
        <source>&apos;{kind}&apos; cannot be exported; choose one of {kinds}.</source>
        <translation>“{kind}”无法导出；请选择以下之一：{kinds}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="69"/>
        <source>&apos;{kind}&apos; is not a kind of site; use store or warehouse.</source>
        <translation>“{kind}”不是门店类型；请使用 store（门店）或 warehouse（仓库）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="70"/>
        <source>&apos;{kind}&apos; is not a kind of station; use one of {station_kinds}.</source>
        <translation>“{kind}”不是工位类型；请使用以下之一：{station_kinds}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="71"/>
        <source>&apos;{level}&apos; is not an approval level; use supervisor or manager.</source>
        <translation>“{level}”不是审批级别；请使用 supervisor（主管）或 manager（经理）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="72"/>
        <source>&apos;{method}&apos; is not a way to pay the difference; use one of: {allowed}.</source>
        <translation>“{method}”不是补差价的方式；请使用以下之一：{allowed}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="73"/>
        <source>&apos;{name}&apos; is not a CUPS printer name (after &apos;{value}:&apos;): CUPS names have no spaces, &apos;/&apos; or &apos;#&apos;. Pick the printer from the list of this computer&apos;s printers.</source>
        <translation>“{name}”不是 CUPS 打印机名称（“{value}:”之后的部分）：CUPS 名称中不能有空格、“/”或“#”。请从本机打印机列表中选择打印机。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="74"/>
        <source>&apos;{name}&apos; is not a station command. Known commands: {known}.</source>
        <translation>“{name}”不是工位指令。已知指令：{known}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="75"/>
        <source>&apos;{name}&apos; is not a valid login name: use lower-case letters, digits and underscores, starting with a letter</source>
        <translation>“{name}”不是有效的登录名：请使用小写字母、数字和下划线，并以字母开头</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="76"/>
        <source>&apos;{name}&apos; is the last reason in use; add another before retiring it.</source>
        <translation>“{name}”是最后一个在用的退货原因；请先添加另一个原因再停用它。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="77"/>
        <source>&apos;{port_text}&apos; is not a port number (1-65535); Zebra printers listen on {raw_port}.</source>
        <translation>“{port_text}”不是端口号（1-65535）；斑马打印机监听 {raw_port} 端口。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="78"/>
        <source>&apos;{reason_code}&apos; is not a return reason in use; choose one from the list.</source>
        <translation>“{reason_code}”不是在用的退货原因；请从列表中选择。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="79"/>
        <source>&apos;{reason}&apos; is not a reason for declining a request; choose one of {choices}.</source>
        <translation>“{reason}”不是拒绝申请的理由；请选择以下之一：{choices}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="80"/>
        <source>&apos;{reference}&apos; does not name an item tag: it is the RMA and the unit, e.g. R0000012340/17.</source>
        <translation>“{reference}”不是商品标签编号：应为退货单号加件号，例如 R0000012340/17。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="81"/>
        <source>&apos;{refund_method}&apos; is not a refund method; choose original payment, store credit, cash or bank transfer.</source>
        <translation>“{refund_method}”不是退款方式；请选择原路退回、储值、现金或银行转账。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="82"/>
        <source>&apos;{role}&apos; is not a role; use one of: {value}.</source>
        <translation>“{role}”不是角色；请使用以下之一：{value}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="88"/>
        <source>&apos;{size}&apos; is not a return label size; choose one of {return_label_sizes}.</source>
        <translation>“{size}”不是退货标签尺寸；请选择以下之一：{return_label_sizes}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="89"/>
        <source>&apos;{size}&apos; is not a return label size; choose one of {zpl_return_label_sizes}.</source>
        <translation>“{size}”不是退货标签尺寸；请选择以下之一：{zpl_return_label_sizes}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="90"/>
        <source>&apos;{sort}&apos; is not a way to sort returns.</source>
        <translation>“{sort}”不是退货单的排序方式。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="91"/>
        <source>&apos;{sslmode}&apos; is not an SSL mode; use one of {value}.</source>
        <translation>“{sslmode}”不是 SSL 模式；请使用以下之一：{value}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="92"/>
        <source>&apos;{status}&apos; is not a parcel status; use one of {parcel_statuses}.</source>
        <translation>“{status}”不是包裹状态；请使用以下之一：{parcel_statuses}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="93"/>
        <source>&apos;{target}&apos; is not a field of {kind}; the fields are {known}.</source>
        <translation>“{target}”不是{kind}的字段；可用字段为 {known}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="94"/>
        <source>&apos;{text}&apos; cannot name a site: use at most {max_site_code} printable characters.</source>
        <translation>“{text}”不能作为门店名称：最多 {max_site_code} 个可打印字符。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="95"/>
        <source>&apos;{text}&apos; cannot name a station: use at most {max_station_code} printable characters.</source>
        <translation>“{text}”不能作为工位名称：最多 {max_station_code} 个可打印字符。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="96"/>
        <source>&apos;{text}&apos; does not name a printer on the network; write the printer&apos;s address and port, e.g. zpl-tcp:192.168.1.40:9100 or zpl-tcp:zebra-dock1.local:9100.</source>
        <translation>“{text}”不是网络上的打印机；请写出打印机的地址和端口，例如 zpl-tcp:192.168.1.40:9100 或 zpl-tcp:zebra-dock1.local:9100。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="97"/>
        <source>&apos;{text}&apos; does not name an item tag: scan the RMA barcode of the tag, or type the RMA and the unit, e.g. R0000012340/17.</source>
        <translation>“{text}”不是商品标签编号：请扫描标签上的退货单条码，或输入退货单号加件号，例如 R0000012340/17。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="98"/>
        <source>&apos;{text}&apos; does not say how to print: start it with one of {choices} (e.g. cups:PDF or pdf:/home/counter/labels).</source>
        <translation>“{text}”没有说明打印方式：请以以下之一开头：{choices}（例如 cups:PDF 或 pdf:/home/counter/labels）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="99"/>
        <source>&apos;{text}&apos; is missing the closing &apos;]&apos; of the IPv6 address.</source>
        <translation>“{text}”缺少 IPv6 地址的右括号“]”。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="100"/>
        <source>&apos;{text}&apos; is not a GTIN: a GTIN has 8, 12, 13 or 14 digits (EAN-8, UPC-A, EAN-13, GTIN-14).</source>
        <translation>“{text}”不是 GTIN：GTIN 为 8、12、13 或 14 位数字（EAN-8、UPC-A、EAN-13、GTIN-14）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="101"/>
        <source>&apos;{text}&apos; is not a SHA-256 fingerprint: give the 64 hexadecimal digits that &apos;returndesk server init&apos; printed (with or without colons).</source>
        <translation>“{text}”不是 SHA-256 指纹：请填写“returndesk server init”输出的 64 位十六进制数字（带不带冒号均可）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="102"/>
        <source>&apos;{text}&apos; is not a SKU: SKUs have at most {max_sku_length} characters and no spaces.</source>
        <translation>“{text}”不是 SKU：SKU 最多 {max_sku_length} 个字符，且不含空格。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="103"/>
        <source>&apos;{text}&apos; is not a date; write it as 2026-11-30</source>
        <translation>“{text}”不是日期；请写成 2026-11-30 的形式</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="104"/>
        <source>&apos;{text}&apos; is not a full {what} path (after &apos;{value}:&apos;); give it from the top, e.g. {value2}.</source>
        <translation>“{text}”不是完整的{what}路径（“{value}:”之后的部分）；请从根目录写起，例如 {value2}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="105"/>
        <source>&apos;{text}&apos; is not a phone number: write {min_phone_digits} to {max_phone_digits} digits; spaces, hyphens, brackets and a leading +86 are allowed.</source>
        <translation>“{text}”不是电话号码：请填写 {min_phone_digits} 到 {max_phone_digits} 位数字；可以带空格、连字符、括号和开头的 +86。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="106"/>
        <source>&apos;{text}&apos; is not a time zone; choose one such as Asia/Shanghai or Europe/Berlin.</source>
        <translation>“{text}”不是时区；请选择如 Asia/Shanghai 或 Europe/Berlin 的时区。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="107"/>
        <source>&apos;{text}&apos; is not a time zone; choose one such as Asia/Shanghai.</source>
        <translation>“{text}”不是时区；请选择如 Asia/Shanghai 的时区。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="108"/>
        <source>&apos;{text}&apos; is not a time zone; use e.g. UTC, local or Asia/Shanghai</source>
        <translation>“{text}”不是时区；请使用如 UTC、local 或 Asia/Shanghai</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="109"/>
        <source>&apos;{text}&apos; is not a whole number</source>
        <translation>“{text}”不是整数</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="110"/>
        <source>&apos;{text}&apos; is not an amount; write it like 500 or 499.50</source>
        <translation>“{text}”不是金额；请写成 500 或 499.50 的形式</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="111"/>
        <source>&apos;{text}&apos; is not host:port.</source>
        <translation>“{text}”不是“主机:端口”格式。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="112"/>
        <source>&apos;{url}&apos; is not a database address ReturnDesk can use. Use sqlite:///path/to/file.sqlite3 for a local file or postgresql://user:password@host:5432/name for a shared server.</source>
        <translation>“{url}”不是 ReturnDesk 可用的数据库地址。本地文件请用 sqlite:///path/to/file.sqlite3，共享服务器请用 postgresql://user:password@host:5432/name。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="113"/>
        <source>&apos;{url}&apos; is not a server address; write it like https://returns.example.lan:8443</source>
        <translation>“{url}”不是服务器地址；请写成 https://returns.example.lan:8443 这样</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="114"/>
        <source>&apos;{value}&apos; is not a disposition; use one of {allowed}.</source>
        <translation>“{value}”不是处置方式；请使用以下之一：{allowed}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="115"/>
        <source>&apos;{value}&apos; is not a grade; choose A, B, C or D.</source>
        <translation>“{value}”不是成色等级；请选择 A、B、C 或 D。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="116"/>
        <source>&apos;{value}&apos; is not a grade; use A, B, C or D.</source>
        <translation>“{value}”不是成色等级；请使用 A、B、C 或 D。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="117"/>
        <source>&apos;{value}&apos; is not a refund method; use one of {value2}.</source>
        <translation>“{value}”不是退款方式；请使用以下之一：{value2}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="118"/>
        <source>&apos;{value}&apos; is not a valid {what}; check the station&apos;s printer settings.</source>
        <translation>“{value}”不是有效的{what}；请检查本工位的打印机设置。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="119"/>
        <source>&apos;{value}&apos; is not one of the RTV terms ({known}).</source>
        <translation>“{value}”不是退供条款之一（{known}）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="120"/>
        <source>&apos;{what}&apos; is not a report; choose one of {reports}.</source>
        <translation>“{what}”不是报表；请选择以下之一：{reports}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="122"/>
        <source>(its password from ~/.pgpass of the server&apos;s system user, or PGPASSWORD in the service&apos;s environment)</source>
        <translation>（其密码取自服务器系统用户的 ~/.pgpass，或服务环境中的 PGPASSWORD）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="123"/>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="124"/>
        <source>(not imported)</source>
        <translation>（不导入）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="125"/>
        <source>({supervisor_limit}) must not be below auto_approve_limit ({auto_approve_limit})</source>
        <translation>（{supervisor_limit}）不能低于 auto_approve_limit（{auto_approve_limit}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="126"/>
        <source>, rejected: {where}.</source>
        <translation>，拒收：{where}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="127"/>
        <source>, with or without SSL</source>
        <translation>，无论是否使用 SSL</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="128"/>
        <source>--fingerprint needs the server&apos;s https:// address.</source>
        <translation>--fingerprint 需要服务器的 https:// 地址。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="129"/>
        <source>--map {item}: write the file&apos;s header, =, and the field, e.g. --map 商品编码=sku (an empty field leaves the column out).</source>
        <translation>--map {item}：请写出文件的表头、= 和字段，例如 --map 商品编码=sku（字段留空则忽略该列）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="130"/>
        <source>--password-stdin was given but standard input is empty.</source>
        <translation>给了 --password-stdin，但标准输入为空。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="131"/>
        <source>--stations and --operations must be at least 1 and --seconds more than 0.</source>
        <translation>--stations 和 --operations 至少为 1，--seconds 必须大于 0。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="132"/>
        <source>--workers must be at least 1.</source>
        <translation>--workers 至少为 1。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="133"/>
        <source>1 day</source>
        <translation>1 天</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="134"/>
        <source>1 wrong item</source>
        <translation>1 件错发商品</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="135"/>
        <source>A ReturnDesk server is reached through its API, not as a database.</source>
        <translation>ReturnDesk 服务器要通过其 API 连接，不能当作数据库连接。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="136"/>
        <source>A badge code has at least {min_badge_length} characters; scan the badge.</source>
        <translation>工牌代码至少 {min_badge_length} 个字符；请扫描工牌。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="137"/>
        <source>A barcode</source>
        <translation>条码</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="138"/>
        <source>A cash refund of {amount_minor} is above your cash limit of {approval_limit_minor}; a supervisor must pay it out, or choose another refund method.</source>
        <translation>现金退款 {amount_minor} 超出您的现金限额 {approval_limit_minor}；须由主管支付，或请选择其他退款方式。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="140"/>
        <source>A credit note needs at least one line.</source>
        <translation>贷项通知单至少需要一行。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="142"/>
        <source>A local database needs a file: give sqlite:///path/to/file.sqlite3 (three slashes, then the path).</source>
        <translation>本地数据库需要一个文件：请填写 sqlite:///path/to/file.sqlite3（三个斜杠，后接路径）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="144"/>
        <source>A packing slip needs at least one line.</source>
        <translation>装箱单至少需要一行。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="145"/>
        <source>A page size must be a whole number, not {limit!r}.</source>
        <translation>每页条数必须是整数，不能是 {limit!r}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="146"/>
        <source>A parts cost of {parts_cost_minor} is not plausible for one unit; check the amount.</source>
        <translation>单件配件成本 {parts_cost_minor} 不合理；请核对金额。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="147"/>
        <source>A policy cannot take effect in the past ({effective_on:%Y-%m-%d}): returns already taken keep the version they were judged by. Choose today ({today:%Y-%m-%d}) or a later day.</source>
        <translation>政策不能在过去的日期生效（{effective_on:%Y-%m-%d}）：已受理的退货仍按当时的版本判定。请选择今天（{today:%Y-%m-%d}）或以后的日期。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="148"/>
        <source>A printer setting of {text_count} characters is too long (at most {max_destination}).</source>
        <translation>{text_count} 个字符的打印机设置太长（最多 {max_destination} 个）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="149"/>
        <source>A read replica (--read-url) is a PostgreSQL server copying the shared database; give a postgresql://user@host/name address, and use it with a PostgreSQL database (--url).</source>
        <translation>只读副本（--read-url）是复制共享数据库的 PostgreSQL 服务器；请给出 postgresql://user@host/name 地址，并与 PostgreSQL 数据库（--url）一起使用。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="150"/>
        <source>A reason must allow at least one resolution: refund or exchange.</source>
        <translation>退货原因至少要允许一种处理方式：退款或换货。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="151"/>
        <source>A receipt needs at least one returned line.</source>
        <translation>小票至少需要一行退货商品。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="152"/>
        <source>A refund amount must be 0 or more minor units, not {amount!r}.</source>
        <translation>退款金额必须是 0 或以上的最小货币单位数，不能是 {amount!r}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="153"/>
        <source>A refused unit&apos;s item tag</source>
        <translation>被拒商品的商品标签</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="154"/>
        <source>A report covers at most {max_period_days} days; choose a shorter period.</source>
        <translation>报表最多涵盖 {max_period_days} 天；请选择较短的期间。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="155"/>
        <source>A request may have at most {max_lines} lines.</source>
        <translation>一个申请最多 {max_lines} 行。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="156"/>
        <source>A return label is for at least one item, not {item_count!r}.</source>
        <translation>退货标签至少对应一件商品，不能是 {item_count!r}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="157"/>
        <source>A return reason &apos;{code}&apos; exists already; change it instead.</source>
        <translation>退货原因“{code}”已存在；请改为修改它。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="158"/>
        <source>A return reason &apos;{code}&apos; was added by someone else just now; change it instead.</source>
        <translation>其他人刚刚添加了退货原因“{code}”；请改为修改该原因。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="159"/>
        <source>A return without a receipt needs a supervisor&apos;s sign-off on this screen.</source>
        <translation>无小票退货需要主管在本界面授权。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="160"/>
        <source>A return without a receipt needs the customer&apos;s phone number: it is kept in their history.</source>
        <translation>无小票退货需要顾客的电话号码：将记入其退货历史。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="162"/>
        <source>A unit of grade D is not sold again; scrap it instead.</source>
        <translation>D 级商品不再销售；请改为报废。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="163"/>
        <source>A unit of the order line is counted twice.</source>
        <translation>订单行的某一件被重复计算。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="164"/>
        <source>A user named {username} exists already; choose another name.</source>
        <translation>用户名 {username} 已存在；请换一个名称。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="165"/>
        <source>A webhook named {name} exists already; choose another name.</source>
        <translation>名为 {name} 的 Webhook 已存在；请换一个名称。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="166"/>
        <source>Accepting {accepted_qty} more would make {previously_accepted_qty} returned of {purchased_qty} bought; reduce the accepted quantity.</source>
        <translation>再接收 {accepted_qty} 件将使已退 {previously_accepted_qty} 件超过购买的 {purchased_qty} 件；请减少接收数量。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="167"/>
        <source>Add a user who signs in with NAME. The password is asked twice (at least 8 characters) unless --password-stdin is given.</source>
        <translation>添加以 NAME 登录的用户。除非给出 --password-stdin，否则会要求输入两次密码（至少 8 个字符）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="168"/>
        <source>An API key named {name} exists already; choose another name.</source>
        <translation>名为 {name} 的 API 密钥已存在；请换一个名称。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="169"/>
        <source>An Excel file cannot go to the screen; give a file name with --out.</source>
        <translation>Excel 文件无法输出到屏幕；请用 --out 指定文件名。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="170"/>
        <source>An Excel file cannot go to the screen; give a file name with -o.</source>
        <translation>Excel 文件无法输出到屏幕；请用 -o 指定文件名。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="172"/>
        <source>An idempotency key is 1-100 characters.</source>
        <translation>幂等键为 1-100 个字符。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="174"/>
        <source>An item that is not in the catalogue can only go back to the customer or to scrap.</source>
        <translation>不在商品目录中的商品只能退还顾客或报废。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="175"/>
        <source>Another administrator published a policy version at the same moment; nothing was saved. Reload the policy and publish again.</source>
        <translation>另一位管理员同时发布了政策版本；未保存任何内容。请重新载入政策后再发布。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="176"/>
        <source>Another station changed {what} at the same moment; nothing was saved. Reload it and try again.</source>
        <translation>另一工位同时修改了{what}；未保存任何内容。请重新载入后再试。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="178"/>
        <source>Another station was changing {what} at the same moment; nothing was saved. Try again.</source>
        <translation>另一工位正在同时修改{what}；未保存任何内容。请重试。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="179"/>
        <source>Another user opened the cash shift of station {station} at the same moment; use that one.</source>
        <translation>另一用户同时为工位 {station} 开了现金班次；请使用该班次。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="180"/>
        <source>Approved automatically.</source>
        <translation>已自动批准。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="181"/>
        <source>As printed ({lang}): {company} | store {store} | return to {return_to}</source>
        <translation>打印效果（{lang}）：{company} | 门店 {store} | 退货寄往 {return_to}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="182"/>
        <source>Audit event {seq} does not link to event {before}.</source>
        <translation>审计事件 {seq} 没有链接到事件 {before}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="183"/>
        <source>Audit event {seq} is missing (next is {next}).</source>
        <translation>审计事件 {seq} 缺失（下一个是 {next}）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="184"/>
        <source>Audit event {seq} names a hash format ({version}) that this ReturnDesk does not know.</source>
        <translation>审计事件 {seq} 使用了本版 ReturnDesk 不认识的哈希格式（{version}）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="185"/>
        <source>Audit event {seq} was altered: its content does not match its hash.</source>
        <translation>审计事件 {seq} 已被改动：其内容与哈希值不符。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="186"/>
        <source>Bank deposits</source>
        <translation>银行存款</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="187"/>
        <source>Bring data from other systems into ReturnDesk.</source>
        <translation>把其他系统的数据导入 ReturnDesk。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="188"/>
        <source>CSV or Excel (.xlsx, first worksheet): one row per order line with a header row; the
order&apos;s columns repeat on each of its lines. Row numbers are the file&apos;s lines (the
sheet&apos;s rows), blank lines included: the header is row 1.
  CSV text: UTF-8 (with or without byte-order mark) or GB18030 is detected and named;
  --encoding sets it (a UTF-8 byte-order mark still wins; mojibake is refused).
  required: {required}
  optional: {optional}
  channel: store | online | phone
  payment_method: card | cash | alipay | wechat_pay | bank_transfer | store_credit | cod
  amounts: 399.00 (dot, at most 2 decimals); paid must equal unit_price x quantity - discount
  dates: 2026-11-20 14:30, 2026/1/5 14:30:05, 2026-1-5, 2026年1月5日, Excel date cells
         or serial numbers, 2026-11-20T14:30:00+08:00 (no offset = the site&apos;s local time)
  serials: separated by ;  (as many as the quantity)
  The SKUs must exist in the catalogue.

JSON: {json}

example:
  returndesk import orders shop-2026-11.csv</source>
        <translation>CSV 或 Excel（.xlsx，第一个工作表）：每个订单行一行，带表头行；
订单的列在其每一行上重复。行号即文件的行（工作表的行），
包括空行：表头是第 1 行。
  CSV 文本：自动识别并注明 UTF-8（带或不带字节顺序标记）或 GB18030；
  --encoding 可指定编码（UTF-8 字节顺序标记仍然优先；乱码会被拒绝）。
  必填：{required}
  可选：{optional}
  channel：store | online | phone
  payment_method：card | cash | alipay | wechat_pay | bank_transfer | store_credit | cod
  金额：399.00（小数点，最多 2 位小数）；paid 必须等于 unit_price x quantity - discount
  日期：2026-11-20 14:30、2026/1/5 14:30:05、2026-1-5、2026年1月5日、Excel 日期单元格
         或序列号、2026-11-20T14:30:00+08:00（不带时差 = 站点当地时间）
  serials：用 ; 分隔（个数与数量相同）
  SKU 必须已在商品目录中。

JSON：{json}

示例：
  returndesk import orders shop-2026-11.csv</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="189"/>
        <source>CUPS accepted the job for &apos;{queue}&apos; but did not say its job number: {stdout!r}</source>
        <translation>CUPS 已接受发往“{queue}”的打印任务，但未返回任务编号：{stdout!r}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="190"/>
        <source>CUPS did not answer within {cups_timeout:.0f} seconds (&apos;{args}&apos;). Check that the CUPS service is running, then print again.</source>
        <translation>CUPS 在 {cups_timeout:.0f} 秒内没有响应（“{args}”）。请检查 CUPS 服务是否在运行，然后重新打印。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="191"/>
        <source>CUPS printer name, or a destination such as zpl-tcp:HOST:9100 or pdf:/folder</source>
        <translation>CUPS 打印机名称，或 zpl-tcp:HOST:9100、pdf:/folder 这样的目标</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="192"/>
        <source>CUPS refused the print job: {value}</source>
        <translation>CUPS 拒绝了打印任务：{value}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="193"/>
        <source>Cannot read {file}: {reason}.</source>
        <translation>无法读取 {file}：{reason}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="194"/>
        <source>Cannot tell the format from &apos;{path}&apos;; add --format csv, xlsx or json.</source>
        <translation>无法从“{path}”判断格式；请加上 --format csv、xlsx 或 json。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="195"/>
        <source>Cannot tell the format of {name}: name it .csv, .xlsx or .json, or give --format csv|xlsx|json.</source>
        <translation>无法判断 {name} 的格式：请将文件命名为 .csv、.xlsx 或 .json，或使用 --format csv|xlsx|json。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="197"/>
        <source>Cash is paid out at the counter only; choose another refund method for a remote return.</source>
        <translation>现金只在柜台支付；远程退货请选择其他退款方式。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="198"/>
        <source>Cash on hand</source>
        <translation>库存现金</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="199"/>
        <source>Cash shift {shift_no} at {station} ({site}): {status}</source>
        <translation>工位 {station}（{site}）的收银班次 {shift_no}：{status}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="200"/>
        <source>Cash shift {shift_no} at {station}: over</source>
        <translation>工位 {station} 的收银班次 {shift_no}：长款</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="201"/>
        <source>Cash shift {shift_no} at {station}: short</source>
        <translation>工位 {station} 的收银班次 {shift_no}：短款</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="202"/>
        <source>Cash shift {shift_no} at {station}: {status}</source>
        <translation>工位 {station} 的收银班次 {shift_no}：{status}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="203"/>
        <source>Cash shift {shift_no} closed: expected {expected}, counted {counted}, difference {difference}</source>
        <translation>收银班次 {shift_no} 已交班：应有 {expected}，实点 {counted}，差额 {difference}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="204"/>
        <source>Cash shift {shift_no} opened at {station} with a float of {amount}.</source>
        <translation>收银班次 {shift_no} 已在工位 {station} 开班，备用金 {amount}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="205"/>
        <source>Cash shift {shift_no}: float {float}, cash refunds {paid}, cash taken in {taken}, expected {expected}, counted {counted}, difference {difference}, posted {posted}: these do not agree.</source>
        <translation>收银班次 {shift_no}：备用金 {float}，现金退款 {paid}，现金收入 {taken}，应有 {expected}，实点 {counted}，差额 {difference}，已记账 {posted}：这些金额对不上。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="206"/>
        <source>Certificate {cert} and key {key} made for {names}.</source>
        <translation>已为 {names} 生成证书 {cert} 和私钥 {key}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="207"/>
        <source>Change a user&apos;s role or approval limit, or disable or enable the account. It counts from the user&apos;s next action, also for a user signed in at a station now.</source>
        <translation>修改用户的角色或审批额度，或停用、启用账户。从该用户的下一次操作起生效，正在工位上登录的用户也是如此。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="208"/>
        <source>Check the books over the whole database: every journal entry balances, refunds never exceed what was paid, returns never exceed what was bought, no stock location is negative, every refund has its credit note, and every amount written twice agrees with its other half (refunds, refund lines, credit notes, journal credits, return totals, exchanges, order-line running totals). Exit status 1 and a list of problems when something does not add up.</source>
        <translation>检查整个数据库的账目：每张记账凭证借贷平衡，退款不超过已付金额，退货不超过购买数量，没有库位为负库存，每笔退款都有贷项通知单，且每个记了两处的金额都与另一处一致（退款、退款行、贷项通知单、凭证贷方、退货合计、换货、订单行累计数）。对不上时退出状态为 1 并列出问题。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="209"/>
        <source>Choose at least one replacement item for the exchange.</source>
        <translation>换货至少要选择一件换货商品。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="210"/>
        <source>Claim {claim_no}</source>
        <translation>退供单 {claim_no}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="211"/>
        <source>Claim {claim_no} answered by {supplier}</source>
        <translation>供应商 {supplier} 已答复退供单 {claim_no}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="212"/>
        <source>Claim {claim_no} has no supplier RMA number yet; record the supplier&apos;s authorisation first.</source>
        <translation>退供单 {claim_no} 还没有供应商的 RMA 号；请先登记供应商的授权。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="214"/>
        <source>Claim {claim_no} holds no units; there is nothing to pack.</source>
        <translation>退供单 {claim_no} 中没有商品；没有可装箱的内容。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="215"/>
        <source>Claim {claim_no} holds {quantity} × {skus}, but fewer are in the return-to-vendor area; find the missing units or take them off the claim.</source>
        <translation>退供单 {claim_no} 包含 {quantity} × {skus}，但退供区中的数量不足；请找到缺少的商品，或将其从退供单中移除。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="216"/>
        <source>Claim {claim_no} is {value}: its units are fixed now.</source>
        <translation>退供单 {claim_no} 状态为“{value}”：其中的商品现已固定。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="217"/>
        <source>Claim {claim_no} is {value}; it cannot be {doing} now.</source>
        <translation>退供单 {claim_no} 状态为“{value}”；现在不能{doing}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="218"/>
        <source>Claim {claim_no} shipped to {supplier}</source>
        <translation>退供单 {claim_no} 已发往 {supplier}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="219"/>
        <source>Claim {claim_no} to {name} is authorised already under the supplier&apos;s RMA {vendor_rma_no}: ship it first, then the unit goes on the next claim.</source>
        <translation>发往 {name} 的退供单 {claim_no} 已获供应商 RMA {vendor_rma_no} 授权：请先寄出，该商品将列入下一张退供单。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="221"/>
        <source>Claim {claim_no} was changed at another station since you opened it; look at it again.</source>
        <translation>退供单 {claim_no} 在您打开后已被其他工位修改；请重新查看。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="222"/>
        <source>Claim {number} shipped at a cost of {claimed}, but its units cost {summed}.</source>
        <translation>退供单 {number} 发货时的成本为 {claimed}，但其商品成本合计 {summed}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="223"/>
        <source>Close the open cash shift of a station with the cash counted in the drawer. A difference to what the drawer should hold needs --note; it is posted to the journal.</source>
        <translation>用钱箱中实点的现金为工位的收银班次交班。与应有金额的差额需要 --note 说明，并记入日记账。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="224"/>
        <source>Column &apos;{header}&apos; is mapped to &apos;{name}&apos;, which is not a field of {kind}; the fields are {known}.</source>
        <translation>列“{header}”映射到了“{name}”，但它不是{kind}的字段；可用字段为 {known}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="225"/>
        <source>Columns not used: {columns}.</source>
        <translation>未使用的列：{columns}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="226"/>
        <source>Company profile stored for all stations (fields not listed come from the shipped default):</source>
        <translation>已保存所有工位的公司资料（未列出的字段取自出厂默认值）：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="227"/>
        <source>Company profile stored for station {station} (fields not listed come from all stations, then the shipped default):</source>
        <translation>已保存工位 {station} 的公司资料（未列出的字段先取所有工位的设置，再取出厂默认值）：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="228"/>
        <source>Connected to PostgreSQL {version} at {where} as {user}. {state}</source>
        <translation>已以 {user} 身份连接到 {where} 上的 PostgreSQL {version}。{state}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="229"/>
        <source>Connected to PostgreSQL {version} at {where}, but this database was upgraded by a newer ReturnDesk (schema revision {current}). Install that version on this station, or choose another database.</source>
        <translation>已连接到 {where} 上的 PostgreSQL {version}，但此数据库已被更新版本的 ReturnDesk 升级（结构版本 {current}）。请在本工位安装该版本，或选择其他数据库。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="230"/>
        <source>Cost of goods sold</source>
        <translation>主营业务成本</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="232"/>
        <source>Could not save the PDF as {target}: {value}.</source>
        <translation>无法将 PDF 保存为 {target}：{value}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="233"/>
        <source>Could not save the PDF in {parent}: {value}.</source>
        <translation>无法将 PDF 保存到 {parent}：{value}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="235"/>
        <source>Create a site or change it. CODE &apos;*&apos; is the installation&apos;s own zone, used for sales that name no known site.</source>
        <translation>创建或修改站点。CODE 为“*”时表示本系统自身的时区，用于未指明已知站点的销售。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="236"/>
        <source>Create the database (a new local file or an empty PostgreSQL database) or upgrade its tables to this version of ReturnDesk, then add missing reference data (stock locations, return reasons, categories, the default return policy). Safe to run again. Refuses a database upgraded by a newer ReturnDesk.</source>
        <translation>创建数据库（新的本地文件或空的 PostgreSQL 数据库），或将其表升级到此版本的 ReturnDesk，然后补充缺少的基础数据（库位、退货原因、类别、默认退货政策）。可以重复运行。拒绝处理已被较新版本 ReturnDesk 升级过的数据库。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="237"/>
        <source>Create, upgrade and inspect the database.</source>
        <translation>创建、升级和查看数据库。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="238"/>
        <source>Credit note {number} of return {rma}: net {net} + tax {note_tax} should be its total {total}, and its tax the lines&apos; tax {line_tax}.</source>
        <translation>退货单 {rma} 的贷项通知单 {number}：净额 {net} + 税额 {note_tax} 应等于其合计 {total}，其税额应等于各行税额 {line_tax}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="239"/>
        <source>Credit note {number} records net {net_minor}, tax {tax_minor} and total {total_minor}, but the lines of return {rma_no} give {sums}, {sums2} and {sums3}. It was not printed; run &apos;returndesk check&apos; and ask finance to look at the return.</source>
        <translation>贷项通知单 {number} 记录的净额 {net_minor}、税额 {tax_minor}、合计 {total_minor}，与退货单 {rma_no} 各行计算的 {sums}、{sums2}、{sums3} 不符。未打印；请运行“returndesk check”并请财务核查该退货单。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="240"/>
        <source>Credit note {ref} ({rma})</source>
        <translation>贷项通知单 {ref}（{rma}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="241"/>
        <source>Customer #{cid} has a negative store-credit balance ({total}).</source>
        <translation>顾客 #{cid} 的门店储值余额为负（{total}）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="242"/>
        <source>Customer accounts (receivable / refunds payable)</source>
        <translation>顾客往来（应收账款／应付退款）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="243"/>
        <source>DOCUMENT is one of {documents} (repeatable)</source>
        <translation>DOCUMENT 为 {documents} 之一（可重复）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="244"/>
        <source>Database {database} is at schema revision {revision}. The server&apos;s login {login} {what} and has exactly the server&apos;s rights.</source>
        <translation>数据库 {database} 的结构版本为 {revision}。服务器登录名 {login} {what}，且恰好拥有服务器所需的权限。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="245"/>
        <source>Database:  {database}</source>
        <translation>数据库：  {database}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="246"/>
        <source>Deleted the import profile &apos;{name}&apos; of {kind}.</source>
        <translation>已删除 {kind} 的导入方案“{name}”。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="247"/>
        <source>Delivered {elapsed} ago; the policy allows {window}{scope}.</source>
        <translation>{elapsed}前交付；政策允许 {window} 天{scope}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="248"/>
        <source>Demo data is written only to a new local database, not through a server.</source>
        <translation>演示数据只能写入新的本地数据库，不能通过服务器写入。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="249"/>
        <source>Demo data written to {database} (seed {seed}):</source>
        <translation>演示数据已写入 {database}（随机种子 {seed}）：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="250"/>
        <source>Demo users (printed again at the end):
  clerk / clerk123, clerk2 / clerk123, inspector / inspect123, supervisor / super123,
  supervisor2 / super123, manager / manager123, finance / finance123, admin / admin123

Large numbers are for load tests: the first returns go through the use cases one by
one, the rest are written in bulk batches (a million returns take minutes).

example:
  returndesk demo --orders 2000 --returns 500 --seed 7</source>
        <translation>演示用户（结束时会再次列出）：
  clerk / clerk123, clerk2 / clerk123, inspector / inspect123, supervisor / super123,
  supervisor2 / super123, manager / manager123, finance / finance123, admin / admin123

大数量用于负载测试：前面的退货单逐张经业务流程生成，
其余的分批批量写入（一百万张退货单需要几分钟）。

示例：
  returndesk demo --orders 2000 --returns 500 --seed 7</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="251"/>
        <source>Demo users (user name / password):</source>
        <translation>演示用户（用户名 / 密码）：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="252"/>
        <source>Difference of exchange {order_no} (return {rma_no}) paid by {method}</source>
        <translation>换货单 {order_no}（退货单 {rma_no}）的差价已通过{method}支付</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="253"/>
        <source>Documents are printed in {languages}, not &apos;{lang}&apos;.</source>
        <translation>单据可用 {languages} 打印，不支持“{lang}”。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="254"/>
        <source>EXPIRES (UTC)</source>
        <translation>过期时间 (UTC)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="255"/>
        <source>End every open session of NAME, or with --all of everyone (through --server: everyone but you).</source>
        <translation>结束 NAME 的所有会话，或用 --all 结束所有人的会话（通过 --server 时：除您以外的所有人）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="256"/>
        <source>Enter the RMA number the supplier gave for this claim.</source>
        <translation>请输入供应商为此退供单提供的 RMA 号。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="257"/>
        <source>Enter the address of the ReturnDesk server, e.g. https://returns.example.lan:8443.</source>
        <translation>请输入 ReturnDesk 服务器的地址，例如 https://returns.example.lan:8443。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="258"/>
        <source>Enter the database user name.</source>
        <translation>请输入数据库用户名。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="259"/>
        <source>Enter the date the supplier authorised the return.</source>
        <translation>请输入供应商授权退货的日期。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="260"/>
        <source>Enter the name of the database on the server.</source>
        <translation>请输入服务器上的数据库名称。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="261"/>
        <source>Enter the server&apos;s host name or IP address.</source>
        <translation>请输入服务器的主机名或 IP 地址。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="262"/>
        <source>Enter why the unit is scrapped.</source>
        <translation>请填写报废原因。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="263"/>
        <source>Events are numbered from 1.</source>
        <translation>事件编号从 1 开始。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="264"/>
        <source>Every unit of {rma}{value} going to its vendor is on a claim already ({claim_no}); scan another unit.</source>
        <translation>{rma}{value} 中要退给供应商的每一件都已在退供单上（{claim_no}）；请扫描其他商品。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="265"/>
        <source>Exchange {order_no} of return {rma_no}</source>
        <translation>退货单 {rma_no} 的换货 {order_no}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="266"/>
        <source>Exchange {order_no} of return {rma}: the return&apos;s total is {total}, the exchange credits {credit} for goods worth {value} (difference {difference}), its credit notes say {note} and {paid} was refunded.</source>
        <translation>退货单 {rma} 的换货 {order_no}：退货合计 {total}，换货抵扣 {credit}，换出商品价值 {value}（差额 {difference}），贷项通知单为 {note}，已退款 {paid}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="267"/>
        <source>Expire authorized remote returns whose parcel did not arrive by their receive-by day (the selling site&apos;s calendar) and close refunded or exchanged returns once the policy&apos;s close_after_days have passed. The desktop (local database) and the server do this every hour by themselves.</source>
        <translation>将包裹未在收货截止日（按销售站点的日历）前到达的已授权远程退货单置为过期，并在超过政策的 close_after_days 后关闭已退款或已换货的退货单。桌面程序（本地数据库）和服务器每小时会自动执行一次。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="268"/>
        <source>Export as csv, xlsx or json, not &apos;{fmt}&apos;.</source>
        <translation>请导出为 csv、xlsx 或 json，不支持“{fmt}”。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="269"/>
        <source>Export of {kind} needs --from DATE, --to DATE and the file (-o FILE).</source>
        <translation>导出{kind}需要 --from 日期、--to 日期和文件（-o 文件）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="270"/>
        <source>Export of {kind} needs --from DATE, --to DATE and the file to write (-o FILE).</source>
        <translation>导出{kind}需要 --from 日期、--to 日期和要写入的文件（-o 文件）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="271"/>
        <source>Export of {kind} needs --from DATE, --to DATE and the file to write (-o FILE{suffix}).</source>
        <translation>导出{kind}需要 --from 日期、--to 日期和要写入的文件（-o 文件{suffix}）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="272"/>
        <source>Export of {kind} takes the days of the site (no --timezone).</source>
        <translation>导出{kind}按门店的日期计算（不使用 --timezone）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="273"/>
        <source>Export of {kind} works on the database itself: run it with --url on the database host, or use the master-data screen.</source>
        <translation>导出{kind}直接操作数据库本身：请在数据库所在主机上用 --url 运行，或使用主数据界面。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="274"/>
        <source>Export returns (created in the period), refunds (issued in the period) or journal lines (of entries posted in the period) to CSV, Excel or JSON for accounting and analysis. Both dates are included. Amounts are decimal text (123.45) in CSV and JSON and numbers in Excel. The file appears only once it is complete.</source>
        <translation>将退货单（期间内创建）、退款（期间内发放）或日记账行（期间内记账的凭证）导出为 CSV、Excel 或 JSON，供会计和分析使用。包含起止两天。金额在 CSV 和 JSON 中为小数文本（123.45），在 Excel 中为数字。文件完整写完后才会出现。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="275"/>
        <source>Exported {rows} of {kind} ({start} .. {end}) to {where}</source>
        <translation>已将 {kind} 的 {rows}（{start} .. {end}）导出到 {where}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="276"/>
        <source>Exported {rows} of {kind} to {output}.</source>
        <translation>已将 {kind} 的 {rows} 导出到 {output}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="277"/>
        <source>Exported {rows} to {output}</source>
        <translation>已将 {rows} 导出到 {output}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="278"/>
        <source>FROM</source>
        <translation>来自</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="279"/>
        <source>Fill the database with realistic demo data: suppliers, a catalogue of about 60 products with EAN-13 barcodes and Chinese and English names, customers, sales orders over the last DAYS days, demo users of every role, stations, and returns in every state of the lifecycle with their inspections, approvals, refunds, exchanges, stock movements, credit notes and journal entries. The same --seed gives the same data. Run it on an empty database (it adds to an existing one).</source>
        <translation>用逼真的演示数据填充数据库：供应商、约 60 个带 EAN-13 条码和中英文名称的商品目录、顾客、最近 DAYS 天的销售订单、各角色的演示用户、工位，以及处于生命周期各状态的退货单及其质检、审批、退款、换货、库存移动、贷项通知单和记账凭证。相同的 --seed 生成相同的数据。请在空数据库上运行（在已有数据库上会追加数据）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="280"/>
        <source>Give --out FILE.pdf (or --printer NAME) for the command sheet.</source>
        <translation>请为指令表指定 --out 文件.pdf（或 --printer 打印机名）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="281"/>
        <source>Give a printer or a file to write, not both.</source>
        <translation>请指定打印机或要写入的文件，不能两者都指定。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="282"/>
        <source>Give a user the badge they scan to sign off on a clerk&apos;s screen (a return above the clerk&apos;s limit, or a policy override). Only the SHA-256 of the code is kept; one badge belongs to one user.</source>
        <translation>给用户一张工牌，用于在店员屏幕上扫描授权（超出店员额度的退货，或政策特批）。只保存工牌编码的 SHA-256；一张工牌只属于一个用户。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="283"/>
        <source>Give at least one stage and its target in hours.</source>
        <translation>请至少给出一个阶段及其目标小时数。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="284"/>
        <source>Give either --ca-file or --fingerprint, not both.</source>
        <translation>请只指定 --ca-file 或 --fingerprint 之一，不能同时指定。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="285"/>
        <source>Give either --server (through the ReturnDesk server) or --url (the database itself, on the database host), not both.</source>
        <translation>请只指定 --server（通过 ReturnDesk 服务器）或 --url（直接连接数据库，在数据库主机上）之一，不能同时指定。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="286"/>
        <source>Give either NAME or --all, not both.</source>
        <translation>请给出 NAME 或 --all，不能同时给出。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="287"/>
        <source>Give the badge code (scan the badge into the command line), or --remove.</source>
        <translation>请提供工牌代码（在命令行中扫描工牌），或使用 --remove。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="288"/>
        <source>Give the database to load with --url (a database of its own: the load test adds users and sales); it never runs on the local database by default.</source>
        <translation>请用 --url 指定要加压的数据库（须是专用数据库：压力测试会添加用户和销售记录）；默认不会在本地数据库上运行。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="289"/>
        <source>Give the draft a name, e.g. &apos;Holiday season 2026&apos;.</source>
        <translation>请为草稿命名，例如“2026 年节日季”。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="290"/>
        <source>Give the first and the last day of the period.</source>
        <translation>请填写期间的第一天和最后一天。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="291"/>
        <source>Give the key a name of 1-80 characters, e.g. the system that uses it.</source>
        <translation>请为密钥取一个 1-80 个字符的名称，例如使用它的系统名称。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="292"/>
        <source>Give the key at least one scope.</source>
        <translation>密钥至少需要一个权限范围。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="293"/>
        <source>Give the name of the printer after &apos;qt:&apos;, as the print dialog lists it.</source>
        <translation>请在“qt:”后填写打印机名称，与打印对话框中列出的一致。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="294"/>
        <source>Give the policy version a name, e.g. &apos;Holiday season 2026&apos;.</source>
        <translation>请为政策版本命名，例如“2026 年节日季”。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="295"/>
        <source>Give the profile a name of 1-80 characters, e.g. the system the files come from.</source>
        <translation>请为方案取一个 1-80 个字符的名称，例如文件来源系统的名称。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="296"/>
        <source>Give the webhook a name of 1-80 characters.</source>
        <translation>请为 Webhook 取一个 1-80 个字符的名称。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="298"/>
        <source>Goods returned to vendors awaiting credit (RTV clearing)</source>
        <translation>退回供应商待贷记商品（退供清算）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="299"/>
        <source>Housekeeping expired {expired} (never received) and closed {closed}.</source>
        <translation>例行维护：{expired}已过期（一直未收到），{closed}已关闭。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="300"/>
        <source>Housekeeping found nothing to do: no return is overdue or due to close.</source>
        <translation>例行维护无事可做：没有逾期或应关闭的退货单。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="301"/>
        <source>IANA zone, e.g. Asia/Shanghai</source>
        <translation>IANA 时区，如 Asia/Shanghai</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="302"/>
        <source>Import sales orders so that the counter can find them for returns. The file is checked whole first: if any row is wrong nothing is imported, and every bad row is listed with its row number and the reason. Order numbers already in the database are refused, so importing the same file twice does nothing.</source>
        <translation>导入销售订单，以便柜台办理退货时能找到它们。先检查整个文件：只要有一行有误就不导入任何内容，并列出每个错误行的行号和原因。数据库中已有的订单号会被拒绝，因此同一文件导入两次不会有任何变化。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="303"/>
        <source>Import {kind} (CSV, Excel .xlsx or JSON), keyed by {key}: new ones are created, known ones updated with the values given, and identical ones left alone, so importing a file twice changes nothing. An empty cell keeps the value. The file is checked whole first: if any row is wrong nothing is imported and every bad row is listed with its number.</source>
        <translation>导入 {kind}（CSV、Excel .xlsx 或 JSON），以 {key} 为键：新的会被创建，已有的按给出的值更新，相同的保持不动，因此同一文件导入两次不会有任何变化。空单元格保留原值。先检查整个文件：只要有一行有误就不导入任何内容，并列出每个错误行的行号。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="304"/>
        <source>Imported {orders} ({lines}, {units}, {paid} paid) from {name}: {first} .. {last}; {customers}.</source>
        <translation>已从 {name} 导入 {orders}（{lines}，{units}，已付 {paid}）：{first} .. {last}；{customers}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="305"/>
        <source>Imported {rows} of {kind} from {name}: {created:,} new, {updated:,} changed, {unchanged:,} unchanged</source>
        <translation>已从 {name} 导入 {kind} 的 {rows}：新增 {created:,}，修改 {updated:,}，未变 {unchanged:,}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="306"/>
        <source>Inspection command sheet</source>
        <translation>质检指令单</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="307"/>
        <source>Inventory</source>
        <translation>库存商品</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="308"/>
        <source>It has no ReturnDesk tables yet; they will be created when the station starts.</source>
        <translation>它还没有 ReturnDesk 数据表；工位启动时将创建。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="309"/>
        <source>Item tag {rma} {sku} #{unit}</source>
        <translation>商品标签 {rma} {sku} #{unit}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="310"/>
        <source>Its ReturnDesk tables are up to date.</source>
        <translation>它的 ReturnDesk 数据表已是最新版本。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="311"/>
        <source>Its ReturnDesk tables will be upgraded to this version when the station starts.</source>
        <translation>工位启动时，它的 ReturnDesk 数据表将升级到本版本。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="312"/>
        <source>Journal entry {entry_no} does not balance: debits {debits}, credits {credits}.</source>
        <translation>记账凭证 {entry_no} 借贷不平：借方 {debits}，贷方 {credits}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="313"/>
        <source>KIND</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="314"/>
        <source>LAST SEEN (UTC)</source>
        <translation>最近活动 (UTC)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="315"/>
        <source>LIMIT</source>
        <translation>额度</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="316"/>
        <source>Line #{line_id} is not part of return {rma_no}; reload the return.</source>
        <translation>行 #{line_id} 不属于退货单 {rma_no}；请重新载入退货单。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="318"/>
        <source>Line {line_no} of {rma_no} has all its units counted already.</source>
        <translation>{rma_no} 的第 {line_no} 行所有件数都已清点。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="319"/>
        <source>Line {line_no} of {rma_no} has all {authorized_units} units counted; nothing is short.</source>
        <translation>{rma_no} 的第 {line_no} 行 {authorized_units} 件已全部清点；没有短缺。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="320"/>
        <source>Line {line_no} of {rma_no} is closed short already.</source>
        <translation>{rma_no} 的第 {line_no} 行已按短缺关闭。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="321"/>
        <source>Line {line_no}: order line #{order_line_id} is not part of order {order_no}; pick the item from the order.</source>
        <translation>第 {line_no} 行：订单行 #{order_line_id} 不属于订单 {order_no}；请从订单中选择商品。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="322"/>
        <source>Line {line_no}: recorded {quantity} units ({counts}).</source>
        <translation>第 {line_no} 行：已记录 {quantity} 件（{counts}）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="323"/>
        <source>Line {line_no}: {name}, unit {n} of {authorized}</source>
        <translation>第 {line_no} 行：{name}，第 {n} 件/共 {authorized} 件</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="324"/>
        <source>Line {n}: order {order_no} has no line {line_no}.</source>
        <translation>第 {n} 行：订单 {order_no} 没有第 {line_no} 行。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="326"/>
        <source>Line {n}: {sku} is not on order {order_no}.</source>
        <translation>第 {n} 行：{sku} 不在订单 {order_no} 中。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="327"/>
        <source>Line {n}: {sku} is on several lines of order {order_no}; give line_no.</source>
        <translation>第 {n} 行：{sku} 出现在订单 {order_no} 的多行中；请提供 line_no。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="328"/>
        <source>Line {sku}: give the tax rate as a Decimal or a string, not a float.</source>
        <translation>行 {sku}：税率请以 Decimal 或字符串给出，不能用浮点数。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="329"/>
        <source>Line {sku}: net {net} + tax {tax} is not the gross {gross}.</source>
        <translation>行 {sku}：净额 {net} + 税额 {tax} 不等于含税总额 {gross}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="330"/>
        <source>Line {sku}: the quantity must be at least 1, not {quantity!r}.</source>
        <translation>行 {sku}：数量至少为 1，不能是 {quantity!r}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="331"/>
        <source>Line {sku}: the tax rate {tax_rate} must be a fraction, e.g. 0.13 for 13 %.</source>
        <translation>行 {sku}：税率 {tax_rate} 必须是小数，例如 13 % 写作 0.13。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="332"/>
        <source>Line {sku}: {quantity} x {unit_amount} - {deductions} is {gross}, but the refund amount says {refund_amount}.</source>
        <translation>行 {sku}：{quantity} x {unit_amount} - {deductions} 等于 {gross}，但退款金额为 {refund_amount}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="333"/>
        <source>List every site with its kind and time zone.</source>
        <translation>列出每个站点及其类型和时区。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="334"/>
        <source>List every user with role, approval limit and whether locked.</source>
        <translation>列出每个用户及其角色、审批额度和是否锁定。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="336"/>
        <source>Losses on claims against suppliers</source>
        <translation>供应商索赔损失</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="337"/>
        <source>Make a private key and a self-signed certificate, and print the certificate&apos;s SHA-256 fingerprint for stations to confirm.</source>
        <translation>生成私钥和自签名证书，并打印证书的 SHA-256 指纹供工位确认。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="338"/>
        <source>Manage who can sign in to ReturnDesk.</source>
        <translation>管理可以登录 ReturnDesk 的人员。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="339"/>
        <source>Materials and spare parts</source>
        <translation>原材料及备件</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="340"/>
        <source>NAME</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="341"/>
        <source>Name the file to write, e.g. returndesk export {kind} {kind}.xlsx.</source>
        <translation>请指定要写入的文件，例如 returndesk export {kind} {kind}.xlsx。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="342"/>
        <source>Name the kind of the profile to delete, e.g. returndesk import profiles products --delete ERP.</source>
        <translation>请指定要删除的方案类型，例如 returndesk import profiles products --delete ERP。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="343"/>
        <source>Name the user whose sessions end (returndesk sessions end NAME), or give --all.</source>
        <translation>请指定要结束会话的用户（returndesk sessions end NAME），或给出 --all。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="345"/>
        <source>No customer #{customer_id} exists.</source>
        <translation>顾客 #{customer_id} 不存在。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="346"/>
        <source>No customer has the phone {digits}; type the customer&apos;s name to add them.</source>
        <translation>没有顾客使用电话 {digits}；请输入顾客姓名以新增顾客。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="347"/>
        <source>No delivery date on record: counted from the sale on {sold_on} plus {transit} in transit, {elapsed} ago; the policy allows {window}{scope}.</source>
        <translation>没有交付日期记录：从 {sold_on} 售出起算，加上运输 {transit}，距今 {elapsed}；政策允许 {window} 天{scope}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="348"/>
        <source>No import profile is saved yet; save one with --save-profile NAME when importing.</source>
        <translation>尚未保存任何导入方案；导入时可用 --save-profile NAME 保存。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="349"/>
        <source>No one is signed in at the server.</source>
        <translation>当前没有人登录服务器。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="350"/>
        <source>No printer is chosen for {document_words} at station {where}. Choose one in the printer settings (or give a printer or a PDF file to print to).</source>
        <translation>工位 {where} 没有为{document_words}选择打印机。请在打印机设置中选择一台（或指定要打印到的打印机或 PDF 文件）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="351"/>
        <source>No printer is given for {document_words} and this computer has no station name to look one up; give a printer or a file.</source>
        <translation>没有为{document_words}指定打印机，且本机没有工位名称可供查找；请指定打印机或文件。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="352"/>
        <source>No printer is given.</source>
        <translation>未指定打印机。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="353"/>
        <source>No product has the barcode or SKU {text}; scan the item again or type its SKU.</source>
        <translation>没有商品的条码或 SKU 为 {text}；请重新扫描商品或输入其 SKU。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="354"/>
        <source>No product has the code {code}. Scan it again; if the item is not one of ours, scan &apos;Wrong item&apos; first to record it as a wrong item.</source>
        <translation>没有商品的代码为 {code}。请重新扫描；如果该商品不是本店的，请先扫描“错发商品”，将其登记为错发商品。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="355"/>
        <source>No product {ref} exists; check the SKU or scan the item again.</source>
        <translation>商品 {ref} 不存在；请检查 SKU 或重新扫描商品。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="358"/>
        <source>No replacement order {reference} exists. Give the RO number or the return&apos;s RMA.</source>
        <translation>换货单 {reference} 不存在。请提供换货单号（RO）或退货单号。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="359"/>
        <source>No replacement order {reference} exists; a packing slip is printed for the replacement of an exchange. Give the RO number or the return&apos;s RMA.</source>
        <translation>换货单 {reference} 不存在；装箱单是为换货的换货商品打印的。请提供换货单号（RO）或退货单号。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="360"/>
        <source>No return matches this RMA number and phone or e-mail. Check both and try again.</source>
        <translation>没有与此退货单号和电话或电子邮件匹配的退货单。请核对两者后重试。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="361"/>
        <source>No return policy is in force. An administrator must publish one before returns can be taken.</source>
        <translation>当前没有生效的退货政策。管理员必须先发布一个政策，才能受理退货。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="362"/>
        <source>No return {rma_no} exists. Check the number or scan the label again.</source>
        <translation>退货单 {rma_no} 不存在。请检查单号或重新扫描标签。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="363"/>
        <source>No return {rma_no} exists. Check the number.</source>
        <translation>退货单 {rma_no} 不存在。请检查单号。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="364"/>
        <source>No return {rma} exists. Check the number or scan the label again.</source>
        <translation>退货单 {rma} 不存在。请检查单号或重新扫描标签。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="365"/>
        <source>No return {what} exists. Check the number or scan the label again.</source>
        <translation>退货单 {what} 不存在。请检查单号或重新扫描标签。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="367"/>
        <source>No site is named. Give the shop&apos;s or warehouse&apos;s code, e.g. SH01.</source>
        <translation>未指定门店。请填写门店或仓库的代码，例如 SH01。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="368"/>
        <source>No sites yet: every sale counts the days of {zone} (this computer&apos;s zone).</source>
        <translation>尚无站点：所有销售都按 {zone}（本机时区）计算日期。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="369"/>
        <source>No station is named. Give the station&apos;s name (as shown in the status bar) or &apos;*&apos; for all stations.</source>
        <translation>未指定工位。请填写工位名称（如状态栏所示），或用“*”表示全部工位。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="370"/>
        <source>No time zone is given; choose one such as Asia/Shanghai.</source>
        <translation>未指定时区；请选择如 Asia/Shanghai 的时区。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="371"/>
        <source>No unit has been recorded on {rma_no} yet; there is nothing to undo.</source>
        <translation>{rma_no} 还没有登记任何商品；没有可撤销的内容。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="372"/>
        <source>No unit of {rma} was inspected for refurbishment; only units in the refurbish area are worked here.</source>
        <translation>{rma} 没有检验为翻新的商品；这里只处理翻新区的商品。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="373"/>
        <source>No unit of {rma}{value} is on claim {claim_no}.</source>
        <translation>{rma}{value} 的商品都不在退供单 {claim_no} 上。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="374"/>
        <source>No unit of {sku} is in the refurbish area for {tag}: it was moved away since inspection. Find the unit and put it back first.</source>
        <translation>翻新区没有 {tag} 对应的 {sku} 商品：检验后已被移走。请先找到该商品并放回。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="375"/>
        <source>No unit of {sku} is left in the return-to-vendor area for {rma}/{id}: it was moved away since inspection. Find the unit and put it back first.</source>
        <translation>{rma}/{id} 的 {sku} 已不在退供区：质检后被移走了。请先找到该商品并放回原处。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="376"/>
        <source>No unit of {what}{value} was inspected for return to its vendor; only units in the return-to-vendor area go on a claim.</source>
        <translation>{what}{value} 没有经质检判定退回供应商的商品；只有退供区中的商品才能列入退供单。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="377"/>
        <source>No users yet. Add one with &apos;returndesk user add NAME --role admin&apos;.</source>
        <translation>尚无用户。请用“returndesk user add NAME --role admin”添加。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="378"/>
        <source>Not delivered yet; the policy allows {window} days{scope} from delivery.</source>
        <translation>尚未交付；政策允许自交付起 {window} 天{scope}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="379"/>
        <source>Not enough stock for the replacement. {short} Choose fewer or other items, or refund instead.</source>
        <translation>换货商品库存不足。{short} 请减少数量或选择其他商品，或改为退款。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="381"/>
        <source>Note: {warning}</source>
        <translation>注意：{warning}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="382"/>
        <source>Nothing answers on {host} port {port}: PostgreSQL is not running there, listens on another port, or a firewall blocks the port. Check the host and the port, and that the server is started.</source>
        <translation>{host} 的 {port} 端口没有响应：那里没有运行 PostgreSQL、它监听其他端口，或防火墙阻止了该端口。请检查主机和端口，并确认服务器已启动。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="383"/>
        <source>Nothing is owed on replacement order {order_no}.</source>
        <translation>换货单 {order_no} 没有待收的差价。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="384"/>
        <source>Nothing is owed on replacement order {order_no}; the difference was paid already.</source>
        <translation>换货单 {order_no} 没有待付款项；差价已付清。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="385"/>
        <source>Nothing to change: give --role, --limit, --disable or --enable.</source>
        <translation>没有要更改的内容：请给出 --role、--limit、--disable 或 --enable。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="387"/>
        <source>Only {free_count} of the {quantity} units of the order line are still free to return; {count} were asked for.</source>
        <translation>该订单行的 {quantity} 件中只有 {free_count} 件还可以退货；申请了 {count} 件。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="388"/>
        <source>Only {made:,} of the {asked:,} returns were made: too few of the sales can still be returned. Ask for more --orders or a longer period (--days).</source>
        <translation>要求 {asked:,} 张退货单，只生成了 {made:,} 张：仍可退货的销售太少。请增加 --orders 或延长期间（--days）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="389"/>
        <source>Open sessions: user, station, address, when signed in, last seen, expiry.</source>
        <translation>当前会话：用户、工位、地址、登录时间、最近活动、过期时间。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="390"/>
        <source>Open the cash shift of a counter station with the float in the drawer.</source>
        <translation>以钱箱中的备用金为柜台工位开班。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="391"/>
        <source>Order {order_no} line {line_no} records {ol_refunded} refunded, {ol_returned} returned and {ol_held} in process, but its returns give {r_refunded}, {r_returned} and {r_held}.</source>
        <translation>订单 {order_no} 第 {line_no} 行记录已退款 {ol_refunded}、已退货 {ol_returned}、处理中 {ol_held}，但其退货单合计为 {r_refunded}、{r_returned} 和 {r_held}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="392"/>
        <source>Order {order_no} line {line_no}: {qty_returned} returned and {qty_in_process} in process of {quantity} bought.</source>
        <translation>订单 {order_no} 第 {line_no} 行：购买 {quantity} 件，已退 {qty_returned} 件，处理中 {qty_in_process} 件。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="393"/>
        <source>Order {order_no} line {line_no}: {refunded} refunded of {paid} paid.</source>
        <translation>订单 {order_no} 第 {line_no} 行：已付 {paid}，已退款 {refunded}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="394"/>
        <source>Over-receipt: line {line_no} authorizes {authorized} x {sku} and all are counted; this extra unit is recorded as over, {where}.</source>
        <translation>多收：第 {line_no} 行批准退回 {authorized} 件 {sku}，已全部清点；这件多出的商品登记为多收，{where}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="395"/>
        <source>PDF files in {folder}</source>
        <translation>{folder} 中的 PDF 文件</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="396"/>
        <source>Packing slip {ref} ({rma})</source>
        <translation>装箱单 {ref}（{rma}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="397"/>
        <source>Parcel #{id} cannot be matched: {verdict}</source>
        <translation>包裹 #{id} 无法匹配：{verdict}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="400"/>
        <source>Pending gains and losses on assets (cash over and short)</source>
        <translation>待处理财产损溢（现金长短款）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="401"/>
        <source>Plain http is only allowed to this computer (localhost); use https://{host}:{value} so that passwords and data are encrypted.</source>
        <translation>明文 http 只允许连接本机（localhost）；请使用 https://{host}:{value}，使密码和数据加密传输。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="402"/>
        <source>Plain http:// is only for a server on this computer; use https://.</source>
        <translation>明文 http:// 只用于本机上的服务器；请使用 https://。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="403"/>
        <source>Policy version {version} is in effect or was: returns may be judged by it, so it stays. Publish a new version instead.</source>
        <translation>政策版本 {version} 正在生效或曾经生效：退货可能按它判定，因此必须保留。请改为发布新版本。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="405"/>
        <source>Preparing sales and users, then running {stations} stations through {servers} server(s) for {work}…</source>
        <translation>正在准备销售和用户，然后通过 {servers} 台服务器运行 {stations} 个工位，持续 {work}…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="406"/>
        <source>Preparing sales, then running {stations} stations for {work}…</source>
        <translation>正在准备销售，然后运行 {stations} 个工位，持续 {work}…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="407"/>
        <source>Print a document of a return to a CUPS printer or save it as a PDF file. Without --printer or --out the document goes to the printer the station (--station, else this computer&apos;s command-line station) has for it. Every print is counted in the print log; a copy after the first is marked REPRINT n on the paper.</source>
        <translation>将退货单的单据打印到 CUPS 打印机，或保存为 PDF 文件。不给 --printer 或 --out 时，单据送到该工位（--station，否则为本机的命令行工位）为其设置的打印机。每次打印都计入打印日志；第一份之后的副本在纸上标注 REPRINT n。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="408"/>
        <source>Print the sheet of grade, disposition and action barcodes that the inspection station understands (laminate it and keep it at the station).</source>
        <translation>打印质检工位可识别的等级、处置和操作条码指令单（塑封后放在工位上）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="409"/>
        <source>Print {document}.</source>
        <translation>打印{document}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="410"/>
        <source>Printers of all stations:</source>
        <translation>所有工位的打印机：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="411"/>
        <source>Printers of station {station}:</source>
        <translation>工位 {station} 的打印机：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="412"/>
        <source>Product #{product_id} has {qty} units at {location}: stock cannot be negative.</source>
        <translation>商品 #{product_id} 在 {location} 的数量为 {qty}：库存不能为负。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="413"/>
        <source>RMA barcode</source>
        <translation>退货单条码</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="414"/>
        <source>RMA sequence {sequence} is out of range: it must be between 1 and {max_rma_sequence}.</source>
        <translation>退货单序号 {sequence} 超出范围：必须在 1 到 {max_rma_sequence} 之间。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="415"/>
        <source>ROLE</source>
        <translation>角色</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="416"/>
        <source>Read as {read_as}.</source>
        <translation>读取编码：{read_as}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="417"/>
        <source>Receipt {ref}</source>
        <translation>柜台回执 {ref}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="418"/>
        <source>Receipts are printed on 80 or 58 mm rolls, not {width_mm} mm.</source>
        <translation>小票打印在 80 或 58 毫米的纸卷上，不支持 {width_mm} 毫米。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="419"/>
        <source>Receivable from suppliers (credit notes due)</source>
        <translation>应收供应商款项（待收贷项通知单）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="420"/>
        <source>Red-letter invoice data is made as an Excel file (xlsx) only.</source>
        <translation>红字发票数据只能生成为 Excel 文件（xlsx）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="421"/>
        <source>Refund {amount} after {deductions} deductions.</source>
        <translation>退款 {amount}（已扣减 {deductions}）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="422"/>
        <source>Refund {amount}.</source>
        <translation>退款 {amount}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="423"/>
        <source>Refund {no} is on a cash shift but was not paid in cash.</source>
        <translation>退款 {no} 记在收银班次上，但不是以现金支付的。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="424"/>
        <source>Refund {refund_no}</source>
        <translation>退款 {refund_no}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="425"/>
        <source>Refund {refund_no} has no credit note.</source>
        <translation>退款 {refund_no} 没有贷项通知单。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="426"/>
        <source>Refund {refund_no} line {line_no} pays {amount} (tax {tax}) but the return line says {expected} (tax {expected_tax}).</source>
        <translation>退款 {refund_no} 第 {line_no} 行支付 {amount}（税额 {tax}），但退货行为 {expected}（税额 {expected_tax}）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="427"/>
        <source>Refund {refund_no} of return {rma_no}</source>
        <translation>退货单 {rma_no} 的退款 {refund_no}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="428"/>
        <source>Refund {refund_no} of {amount} gave {issued} of store credit.</source>
        <translation>退款 {refund_no} 金额 {amount}，却发放了 {issued} 的门店储值。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="429"/>
        <source>Refund {refund_no} pays {amount} but its credit note {note_no} says {note_total}.</source>
        <translation>退款 {refund_no} 支付 {amount}，但其贷项通知单 {note_no} 为 {note_total}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="430"/>
        <source>Refund {refund_no} pays {amount} but its journal entry credits {paid} to the refund method&apos;s account.</source>
        <translation>退款 {refund_no} 支付 {amount}，但其记账凭证向退款方式的科目贷记了 {paid}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="431"/>
        <source>Refund {refund_no} pays {amount} but its lines add up to {line_sum} (expected {expected}).</source>
        <translation>退款 {refund_no} 支付 {amount}，但各行合计为 {line_sum}（应为 {expected}）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="432"/>
        <source>Refund {refund_no} pays {amount} but return {rma} was approved for {total}.</source>
        <translation>退款 {refund_no} 支付 {amount}，但退货单 {rma} 批准的金额为 {total}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="433"/>
        <source>Refurbished {tag}</source>
        <translation>{tag} 已翻新</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="434"/>
        <source>Refurbishment costs (parts used on returned units)</source>
        <translation>翻新费用（退货商品耗用的配件）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="435"/>
        <source>Render the first-start and sign-in dialogs and every screen of the desktop client, with demo data in a temporary database, to PNG files (no display needed).</source>
        <translation>使用临时数据库中的演示数据，将桌面客户端的首次启动和登录对话框以及每个屏幕渲染为 PNG 文件（无需显示器）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="436"/>
        <source>Replacement order {no} is on a cash shift but its difference was not paid in cash.</source>
        <translation>换货单 {no} 记在收银班次上，但其差价不是以现金支付的。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="437"/>
        <source>Replacement order {order_no} cannot be {verb}: it was {status} already.</source>
        <translation>换货单 {order_no} 无法{verb}：它已经{status}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="438"/>
        <source>Replacement {order_no} of return {rma_no} cancelled</source>
        <translation>退货单 {rma_no} 的换货单 {order_no} 已取消</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="439"/>
        <source>Replacement {order_no} of return {rma_no} handed over</source>
        <translation>退货单 {rma_no} 的换货单 {order_no} 已交付</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="442"/>
        <source>Restocking-fee income</source>
        <translation>重新上架费收入</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="443"/>
        <source>Return #{return_id} does not exist.</source>
        <translation>退货单 #{return_id} 不存在。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="444"/>
        <source>Return label {ref}</source>
        <translation>退货标签 {ref}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="445"/>
        <source>Return policy #{policy_id} does not exist.</source>
        <translation>退货政策 #{policy_id} 不存在。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="446"/>
        <source>Return policy #{policy_id} of return {rma_no} does not exist.</source>
        <translation>退货单 {rma_no} 的退货政策 #{policy_id} 不存在。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="449"/>
        <source>Return policy setting &apos;{setting}&apos; {problem}.</source>
        <translation>退货政策设置“{setting}”{problem}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="450"/>
        <source>Return {reference} has no inspected unit that gets an item tag.</source>
        <translation>退货单 {reference} 没有需要商品标签的已质检商品。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="451"/>
        <source>Return {rma_no} came in by parcel, not at the counter; cash is paid out only for counter returns. Choose the original payment, store credit or a bank transfer.</source>
        <translation>退货单 {rma_no} 是包裹寄回的，不是在柜台退的；现金只支付给柜台退货。请选择原路退回、储值或银行转账。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="452"/>
        <source>Return {rma_no} cannot be closed yet: its replacement order {pending} still holds reserved stock. Hand the replacement over or cancel it first.</source>
        <translation>退货单 {rma_no} 还不能关闭：其换货单 {pending} 仍占用预留库存。请先交付换货商品或取消换货。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="453"/>
        <source>Return {rma_no} cannot be exchanged: the reason &apos;{names}&apos; allows a refund only. Issue a refund instead.</source>
        <translation>退货单 {rma_no} 不能换货：退货原因“{names}”只允许退款。请改为退款。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="454"/>
        <source>Return {rma_no} cannot be refunded: the customer asked for an exchange on {which}. Exchange the goods, or record at the counter that the customer changed their mind and wants the money back.</source>
        <translation>退货单 {rma_no} 不能退款：顾客要求对{which}换货。请办理换货，或在柜台登记顾客改变主意、要求退款。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="455"/>
        <source>Return {rma_no} cannot be reopened: other returns took its goods since it was rejected ({problems}). Issue a new RMA for what is left.</source>
        <translation>退货单 {rma_no} 不能重新打开：拒绝后其商品已被其他退货单占用（{problems}）。请为剩余部分新开退货单。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="456"/>
        <source>Return {rma_no} has 1 inspected unit; there is no unit {number}.</source>
        <translation>退货单 {rma_no} 有 1 件已质检商品；没有第 {number} 件。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="457"/>
        <source>Return {rma_no} has lines that can never be returned (line {which}); the policy cannot be overridden for them. Reject the refund.</source>
        <translation>退货单 {rma_no} 中有永远不能退货的行（第 {which} 行）；这些行不能特批。请拒绝退款。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="458"/>
        <source>Return {rma_no} has no accepted units; there is nothing to put on a receipt.</source>
        <translation>退货单 {rma_no} 没有已接收的商品；小票上没有可打印的内容。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="459"/>
        <source>Return {rma_no} has no credit note: one is issued with its refund or exchange (the return is {status}).</source>
        <translation>退货单 {rma_no} 没有贷项通知单：贷项通知单随退款或换货开具（该退货单状态为{status}）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="460"/>
        <source>Return {rma_no} has no exchange line #{min}; choose one of its exchange lines.</source>
        <translation>退货单 {rma_no} 没有换货行 #{min}；请选择它的一个换货行。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="461"/>
        <source>Return {rma_no} has no inspected units yet; there is no item tag to print.</source>
        <translation>退货单 {rma_no} 还没有已质检的商品；没有可打印的商品标签。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="462"/>
        <source>Return {rma_no} has no line the customer asked to exchange; it is refunded already as it is.</source>
        <translation>退货单 {rma_no} 没有顾客要求换货的行；它已经按原样退款。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="463"/>
        <source>Return {rma_no} has no replacement order to be {verb}.</source>
        <translation>退货单 {rma_no} 没有可{verb}的换货单。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="464"/>
        <source>Return {rma_no} has {units_count} inspected units; there is no unit {number}.</source>
        <translation>退货单 {rma_no} 有 {units_count} 件已质检商品；没有第 {number} 件。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="465"/>
        <source>Return {rma_no} is outside the return policy ({problems}). A supervisor must override the policy with a written reason instead of approving it.</source>
        <translation>退货单 {rma_no} 不符合退货政策（{problems}）。主管必须书面说明理由进行政策特批，而不是直接审批。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="466"/>
        <source>Return {rma_no} is outside the return policy: write why it is accepted (at least {count} characters) to override the policy, or reject it.</source>
        <translation>退货单 {rma_no} 不符合退货政策：请写明接受的理由（至少 {count} 个字）以越权批准，或拒绝该申请。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="467"/>
        <source>Return {rma_no} is outside the return policy; a supervisor must override the policy with a written reason before it is authorized.</source>
        <translation>退货单 {rma_no} 不符合退货政策；授权前须由主管书面说明理由进行政策特批。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="468"/>
        <source>Return {rma_no} is within the return policy; no override is needed. Approve it.</source>
        <translation>退货单 {rma_no} 符合退货政策；无需特批。请直接审批。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="469"/>
        <source>Return {rma_no} is {status}: its refund is not decided, so there is no receipt to print yet. The receipt is printed once the refund is approved.</source>
        <translation>退货单 {rma_no} 状态为{status}：退款尚未决定，还没有小票可打印。退款审批后即可打印小票。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="470"/>
        <source>Return {rma_no} is {status}; the customer can no longer change an exchange into a refund.</source>
        <translation>退货单 {rma_no} 状态为{status}；顾客已不能把换货改为退款。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="471"/>
        <source>Return {rma_no} is {value}; only an exchanged return has a replacement to hand over, ship or cancel.</source>
        <translation>退货单 {rma_no} 的状态是{value}；只有已换货的退货单才有可交付、发货或取消的换货商品。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="472"/>
        <source>Return {rma_no} line {line_no} has a negative refund ({amount_minor}); re-inspect the return.</source>
        <translation>退货单 {rma_no} 第 {line_no} 行的退款为负数（{amount_minor}）；请重新质检该退货单。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="473"/>
        <source>Return {rma_no} line {line_no} holds {held} units, but only {qty_in_process} are in process on {order_label}. The quantities do not agree; nothing was changed. Ask an administrator to check the order line.</source>
        <translation>退货单 {rma_no} 第 {line_no} 行占用 {held} 件，但 {order_label} 上处理中的只有 {qty_in_process} 件。数量不一致；未做任何更改。请管理员检查该订单行。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="474"/>
        <source>Return {rma_no} line {line_no} would free {release} units, but only {qty_in_process} are in process on its order line. The quantities do not agree; nothing was changed. Ask an administrator to check the order line.</source>
        <translation>退货单 {rma_no} 第 {line_no} 行将释放 {release} 件，但其订单行上处理中的只有 {qty_in_process} 件。数量不一致；未做任何更改。请管理员检查该订单行。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="475"/>
        <source>Return {rma_no} was changed by {value} since you opened it (it is now {status}). Your change was not saved; the return has been reloaded — check it and try again.</source>
        <translation>退货单 {rma_no} 在您打开后已被{value}修改（现在状态为{status}）。您的更改未保存；退货单已重新载入，请核对后再试。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="476"/>
        <source>Return {rma_no} was exchanged already (replacement order {order_no}).</source>
        <translation>退货单 {rma_no} 已换货（换货单 {order_no}）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="477"/>
        <source>Return {rma_no} was exchanged already (replacement order {order_no}, {created_at:%Y-%m-%d %H:%M}). Nothing was changed.</source>
        <translation>退货单 {rma_no} 已换货（换货单 {order_no}，{created_at:%Y-%m-%d %H:%M}）。未做任何更改。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="479"/>
        <source>Return {rma_no} was refunded already ({refund_no}).</source>
        <translation>退货单 {rma_no} 已退款（{refund_no}）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="480"/>
        <source>Return {rma_no} was refunded already ({refund_no}, {amount_minor}, by {issued_by}, at {issued_at:%Y-%m-%d %H:%M}); it cannot be exchanged as well.</source>
        <translation>退货单 {rma_no} 已退款（{refund_no}，{amount_minor}，经办人 {issued_by}，{issued_at:%Y-%m-%d %H:%M}）；不能再换货。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="482"/>
        <source>Return {rma_no} {no_label}.</source>
        <translation>退货单 {rma_no} {no_label}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="485"/>
        <source>Return {rma} has no inspected unit #{unit_id}; it may have been undone.</source>
        <translation>退货单 {rma} 没有已质检的商品 #{unit_id}；可能已被撤销。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="487"/>
        <source>Return {rma} is refunded but has no refund record.</source>
        <translation>退货单 {rma} 已退款，但没有退款记录。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="488"/>
        <source>Return {rma}: total {total} and deductions {ded}, but its lines give {line_sum} plus shipping {shipping}, with deductions {line_ded}.</source>
        <translation>退货单 {rma}：合计 {total}，扣减 {ded}，但各行合计 {line_sum} 加运费 {shipping}，扣减 {line_ded}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="489"/>
        <source>ReturnDesk administration and data exchange: database, users, demo data, imports of sales, exports for finance, and checks of the audit trail and the books.</source>
        <translation>ReturnDesk 管理和数据交换：数据库、用户、演示数据、销售导入、财务导出，以及审计记录和账目检查。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="490"/>
        <source>ReturnDesk exports {master_kinds}, not &apos;{kind}&apos;.</source>
        <translation>ReturnDesk 可导出 {master_kinds}，不支持“{kind}”。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="491"/>
        <source>ReturnDesk imports {kinds}, not &apos;{kind}&apos;.</source>
        <translation>ReturnDesk 可导入 {kinds}，不支持“{kind}”。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="492"/>
        <source>ReturnDesk keeps {master_kinds}, not &apos;{kind}&apos;.</source>
        <translation>ReturnDesk 管理 {master_kinds}，不支持“{kind}”。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="493"/>
        <source>ReturnDesk server on {address} ({workers} worker(s)), database {database}</source>
        <translation>ReturnDesk 服务器运行于 {address}（{workers} 个工作进程），数据库 {database}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="494"/>
        <source>ReturnDesk server {url}</source>
        <translation>ReturnDesk 服务器 {url}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="495"/>
        <source>ReturnDesk takes {master_kinds} here, not &apos;{kind}&apos;.</source>
        <translation>此处 ReturnDesk 接收 {master_kinds}，不支持“{kind}”。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="496"/>
        <source>ReturnDesk user to sign in as (default: the name you are logged in with)</source>
        <translation>用于登录的 ReturnDesk 用户（默认：您当前登录系统的用户名）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="497"/>
        <source>ReturnDesk works with SQLite and PostgreSQL, not {backend}; give a sqlite:/// or postgresql:// address.</source>
        <translation>ReturnDesk 支持 SQLite 和 PostgreSQL，不支持 {backend}；请填写 sqlite:/// 或 postgresql:// 地址。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="498"/>
        <source>ReturnDesk works with SQLite and PostgreSQL, not {get_backend_name}; give a sqlite:/// or postgresql:// address.</source>
        <translation>ReturnDesk 支持 SQLite 和 PostgreSQL，不支持 {get_backend_name}；请填写 sqlite:/// 或 postgresql:// 地址。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="499"/>
        <source>Returns waiting for a {value}&apos;s approval are not in your queue; they are above your level ({value2}).</source>
        <translation>等待{value}审批的退货单不在您的队列中；它们超出了您的级别（{value2}）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="500"/>
        <source>Returns:   {count:,}</source>
        <translation>退货单：  {count:,}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="501"/>
        <source>Run the ReturnDesk server: the only holder of the database login in shared mode.
Stations sign in to it; the web shop, the ERP and suppliers use its API under /api/v1 (documentation at /docs).</source>
        <translation>运行 ReturnDesk 服务器：共享模式下唯一持有数据库登录名的程序。
工位登录到它；网店、ERP 和供应商使用其 /api/v1 下的 API（文档见 /docs）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="502"/>
        <source>SHA-256 fingerprint: {fingerprint}</source>
        <translation>SHA-256 指纹：{fingerprint}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="503"/>
        <source>SIGNED IN (UTC)</source>
        <translation>登录时间 (UTC)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="504"/>
        <source>SITE</source>
        <translation>站点</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="505"/>
        <source>SKU</source>
        <translation>SKU</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="506"/>
        <source>SKU barcode</source>
        <translation>SKU 条码</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="507"/>
        <source>STATE</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="508"/>
        <source>STATION</source>
        <translation>工位</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="509"/>
        <source>Sales returns and allowances</source>
        <translation>销售退回与折让</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="510"/>
        <source>Sales revenue</source>
        <translation>主营业务收入</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="511"/>
        <source>Save a product, customer, supplier or category.</source>
        <translation>请保存商品、顾客、供应商或品类。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="512"/>
        <source>Saved the columns as profile &apos;{name}&apos; for {kind}: use --profile &quot;{name}&quot; next time.</source>
        <translation>已将列对应保存为 {kind} 的方案“{name}”：下次请使用 --profile &quot;{name}&quot;。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="513"/>
        <source>Say what the store credit is spent on (the RMA or order number).</source>
        <translation>请说明储值用于什么（退货单号或订单号）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="514"/>
        <source>Say whether the reason is in use (true or false).</source>
        <translation>请说明该原因是否在用（true 或 false）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="515"/>
        <source>Say whether the reason is the vendor&apos;s fault (true or false).</source>
        <translation>请说明该原因是否属于供应商责任（true 或 false）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="516"/>
        <source>Scan the item&apos;s barcode or type its SKU.</source>
        <translation>请扫描商品条码或输入其 SKU。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="517"/>
        <source>Scan the item&apos;s barcode, or choose the line the unit belongs to.</source>
        <translation>请扫描商品条码，或选择该商品所属的行。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="518"/>
        <source>Scan the wrong item&apos;s barcode (or type its code) to record it.</source>
        <translation>请扫描错发商品的条码（或输入其代码）进行登记。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="519"/>
        <source>Schema:    none (this program creates revision {revision}). Run &apos;returndesk db upgrade&apos;.</source>
        <translation>结构：    无（本程序创建版本 {revision}）。请运行“returndesk db upgrade”。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="520"/>
        <source>Schema:    revision {revision} (newest: {newest}), {state}</source>
        <translation>结构：    版本 {revision}（最新：{newest}），{state}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="521"/>
        <source>Schema:    revision {revision}, written by a newer ReturnDesk (this one knows up to {newest}). Install the newer version.</source>
        <translation>结构：    版本 {revision}，由较新的 ReturnDesk 写入（本程序只认识到 {newest}）。请安装新版本。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="522"/>
        <source>Scrapped {tag}</source>
        <translation>{tag} 已报废</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="523"/>
        <source>Scrapping {tag} ({value}) is above the limit of {limit}: a supervisor must sign it off.</source>
        <translation>报废 {tag}（{value}）超过限额 {limit}：需要主管签字确认。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="524"/>
        <source>Send at least one of the {kind}.</source>
        <translation>请至少发送一条{kind}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="525"/>
        <source>Send {{&quot;orders&quot;: [...]}} with at least one order.</source>
        <translation>请发送 {{&quot;orders&quot;: [...]}}，至少包含一个订单。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="526"/>
        <source>Send {{&quot;{kind}&quot;: [...]}}: a list of {kind}.</source>
        <translation>请发送 {{&quot;{kind}&quot;: [...]}}：{kind}的列表。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="528"/>
        <source>Serial {serial} was already recorded on {rma_no} (unit {twice}); the same unit was scanned twice. Scan the next unit.</source>
        <translation>序列号 {serial} 已登记在 {rma_no} 上（第 {twice} 件）；同一件商品被扫描了两次。请扫描下一件。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="530"/>
        <source>Sessions of people signed in at the ReturnDesk server (one per sign-in at a station). An ended session takes its station back to the sign-in window at its next request.</source>
        <translation>在 ReturnDesk 服务器上登录的人员的会话（每次在工位登录一个）。会话结束后，其工位在下次请求时回到登录窗口。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="531"/>
        <source>Set a new password for a user (asked twice unless --password-stdin).</source>
        <translation>为用户设置新密码（除非给出 --password-stdin，否则要求输入两次）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="532"/>
        <source>Set up the shared PostgreSQL database of a ReturnDesk server: create or upgrade the tables through the migrations, add reference data, and create (or bring in line) the one login the server connects with. That login cannot change the schema, cannot change or delete audit events, refunds, credit notes, journal lines or stock movements, writes the audit trail only through the database&apos;s own append function, and runs with lock, statement and idle-in-transaction timeouts. No other login may connect; stations sign in at the server. Run it with the login that owns the database (with the CREATEROLE right); safe to run again after every upgrade.</source>
        <translation>设置 ReturnDesk 服务器的共享 PostgreSQL 数据库：通过迁移创建或升级表，添加基础数据，并创建（或校正）服务器连接所用的唯一登录名。该登录名不能修改数据库结构，不能修改或删除审计事件、退款、贷项通知单、日记账行或库存移动，只能通过数据库自身的追加函数写入审计记录，并设有锁、语句和事务空闲超时。其他登录名都不能连接；工位在服务器上登录。请用拥有该数据库的登录名（具有 CREATEROLE 权限）运行；每次升级后都可以安全地重复运行。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="533"/>
        <source>Settings the database keeps per station. CODE is the station&apos;s name (as in its status bar) or &apos;*&apos; for what every station uses unless it sets its own.</source>
        <translation>数据库为每个工位保存的设置。CODE 是工位名称（与其状态栏中一致），或“*”表示所有工位共用的设置（工位自己设置的除外）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="534"/>
        <source>Shipping charges refunded</source>
        <translation>退还运费</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="535"/>
        <source>Short: {listed}.</source>
        <translation>短缺：{listed}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="536"/>
        <source>Show pending, delivered or failed events, not {status}.</source>
        <translation>请显示待发送、已送达或失败的事件，不支持 {status}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="537"/>
        <source>Show the company profile a station prints (store, warehouse return-to address, company and tax id), or override fields of it from a JSON file shaped like the shipped db/seed/company.json.</source>
        <translation>显示工位打印的公司资料（门店、仓库退货地址、公司和税号），或用格式与随附的 db/seed/company.json 相同的 JSON 文件覆盖其中的字段。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="538"/>
        <source>Show the open cash shift of a station: float, cash paid out, expected.</source>
        <translation>显示工位未交班的收银班次：备用金、现金支出、应有金额。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="539"/>
        <source>Show the station&apos;s printer per document, or change it. Destinations: cups:QUEUE, qt:PRINTER (printed by the desktop application), pdf:/FOLDER, zpl:RAW_QUEUE, zpl-tcp:HOST[:PORT] (labels and tags only).</source>
        <translation>显示或修改工位每种单据的打印机。目标：cups:QUEUE、qt:PRINTER（由桌面程序打印）、pdf:/FOLDER、zpl:RAW_QUEUE、zpl-tcp:HOST[:PORT]（仅限标签）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="540"/>
        <source>Show which database is used, its schema revision against the newest this program knows, and how many returns are in each status. Changes nothing. Exit status 1 when the database needs &apos;returndesk db upgrade&apos;.</source>
        <translation>显示所用的数据库、其结构版本与本程序所知最新版本的对比，以及各状态的退货单数量。不做任何修改。数据库需要“returndesk db upgrade”时退出状态为 1。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="541"/>
        <source>Sign in at the server as --user (the password is asked) and act as that user; the server checks the user&apos;s role and records the user in the audit trail.</source>
        <translation>以 --user 身份登录服务器（会询问密码）并以该用户身份操作；服务器检查该用户的角色，并在审计记录中记下该用户。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="542"/>
        <source>Sign in first.</source>
        <translation>请先登录。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="543"/>
        <source>Sign in first: this request carries no session.</source>
        <translation>请先登录：此请求没有会话。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="544"/>
        <source>Sign in first: this user has no session at the server.</source>
        <translation>请先登录：该用户在服务器上没有会话。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="546"/>
        <source>Site {code} ({name}, {kind}) keeps the time of {time_zone}.</source>
        <translation>站点 {code}（{name}，{kind}）使用 {time_zone} 的时间。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="547"/>
        <source>Sites (shops, warehouses) and their time zones: a sale&apos;s return window counts the calendar days of the site that sold it.</source>
        <translation>站点（门店、仓库）及其时区：销售的退货期限按销售站点的日历天数计算。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="548"/>
        <source>Sold {elapsed} ago; the policy allows {window}{scope}.</source>
        <translation>{elapsed}前售出；政策允许 {window} 天{scope}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="549"/>
        <source>Start N simulated stations as separate processes that take returns in, inspect, approve and refund on overlapping returns for S seconds, then check that no return was refunded twice, refunded &lt;= paid, returned &lt;= purchased, no stock is negative, every journal entry balances, the audit chain verifies and every reported success is in the database. Prints throughput and p50/p95/p99 latency per operation; exit status 1 when an invariant is broken. It adds load-test users and sales to the database: use a database of its own. With --server URL the stations work through that ReturnDesk server (and any --also-server) as desktops in shared mode do, each signed in as users of its own; --url is still needed to prepare the sales and users and to check the invariants afterwards.</source>
        <translation>以独立进程启动 N 个模拟工位，在 S 秒内对相互重叠的退货单进行收货、质检、审批和退款，然后检查：没有退货单被退款两次，退款 &lt;= 已付，退货 &lt;= 购买，没有负库存，每张记账凭证借贷平衡，审计链校验通过，且每个报告成功的操作都在数据库中。打印每种操作的吞吐量和 p50/p95/p99 延迟；不变量被破坏时退出状态为 1。它会向数据库添加负载测试用户和销售：请使用单独的数据库。使用 --server URL 时，工位像共享模式下的桌面程序一样通过该 ReturnDesk 服务器（以及各个 --also-server）工作，各自以自己的用户登录；仍需要 --url 来准备销售和用户，并在之后检查不变量。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="550"/>
        <source>Start the server with: returndesk server --url {url}</source>
        <translation>启动服务器：returndesk server --url {url}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="551"/>
        <source>State:     no database file yet. Create it with &apos;returndesk db upgrade&apos;.</source>
        <translation>状态：    尚无数据库文件。请用“returndesk db upgrade”创建。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="552"/>
        <source>Station {station} has an open cash shift already ({shift_no}, opened {opened_at:%Y-%m-%d %H:%M} UTC); close it before opening another.</source>
        <translation>工位 {station} 已有未结班的现金班次（{shift_no}，开班于 {opened_at:%Y-%m-%d %H:%M} UTC）；请先结班再开新班次。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="553"/>
        <source>Station {station} has no open cash shift to close.</source>
        <translation>工位 {station} 没有可结班的现金班次。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="554"/>
        <source>Station {station} has no open cash shift.</source>
        <translation>工位 {station} 没有未交班的收银班次。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="555"/>
        <source>Station {station} has no open cash shift: open the shift with its float before {before}.</source>
        <translation>工作站 {station} 没有开着的收银班次：请先开班并放入备用金，再{before}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="556"/>
        <source>Stations show this fingerprint on first connection; confirm that it matches.</source>
        <translation>工位首次连接时会显示此指纹；请确认两者一致。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="557"/>
        <source>Store credit spent on {reference}</source>
        <translation>门店储值用于 {reference}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="558"/>
        <source>Store-credit liability</source>
        <translation>门店储值负债</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="559"/>
        <source>TAMPERED: {message} The first broken link is event {seq}; the {events:,} events before it are intact.</source>
        <translation>已被篡改：{message} 第一个断开的环节是事件 {seq}；其之前的 {events:,} 个事件完好。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="560"/>
        <source>TIME ZONE</source>
        <translation>时区</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="561"/>
        <source>TLS certificate {cert}, SHA-256 {fingerprint}</source>
        <translation>TLS 证书 {cert}，SHA-256 {fingerprint}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="562"/>
        <source>The API has no method {group}.{method}.</source>
        <translation>API 没有方法 {group}.{method}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="563"/>
        <source>The API key is not valid.</source>
        <translation>API 密钥无效。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="564"/>
        <source>The API key was not made: {problems}</source>
        <translation>API 密钥未创建：{problems}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="565"/>
        <source>The API key {name} does not have the scope {scope}.</source>
        <translation>API 密钥 {name} 没有权限范围 {scope}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="566"/>
        <source>The CUPS command &apos;{args}&apos; is not installed on this computer. Install the CUPS client (Debian/Ubuntu: cups-client) or print through the print dialog instead.</source>
        <translation>本机未安装 CUPS 命令“{args}”。请安装 CUPS 客户端（Debian/Ubuntu：cups-client），或改用打印对话框打印。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="567"/>
        <source>The CUPS print service is not running. Start it (or ask IT to), then print again.</source>
        <translation>CUPS 打印服务未运行。请启动它（或请 IT 人员启动），然后重新打印。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="568"/>
        <source>The GS1 barcode could not be read. Scan it again or type the code.</source>
        <translation>无法读取该 GS1 条码。请重新扫描或输入代码。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="569"/>
        <source>The GS1 barcode holds no product number (GTIN); scan the item&apos;s product barcode.</source>
        <translation>该 GS1 条码中没有商品编号（GTIN）；请扫描商品本身的条码。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="570"/>
        <source>The JSON file is nested too deeply to be a list of orders; nothing was imported.</source>
        <translation>JSON 文件嵌套过深，不是订单列表；未导入任何内容。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="571"/>
        <source>The JSON file must hold {{&quot;orders&quot;: [...]}} or a list of orders.</source>
        <translation>JSON 文件必须包含 {{&quot;orders&quot;: [...]}} 或订单列表。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="572"/>
        <source>The JSON file must hold {{&quot;{kind}&quot;: [...]}} or a list of {kind}.</source>
        <translation>JSON 文件必须包含 {{&quot;{kind}&quot;: [...]}} 或{kind}列表。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="573"/>
        <source>The PostgreSQL server at {host} is starting up or shutting down. Try again in a moment.</source>
        <translation>{host} 上的 PostgreSQL 服务器正在启动或关闭。请稍后再试。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="574"/>
        <source>The RMA number</source>
        <translation>退货单号</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="575"/>
        <source>The RTV clearing account {account} holds {balance}, but the claims shipped and not yet answered cost {awaiting}.</source>
        <translation>退供清算科目 {account} 余额为 {balance}，但已发货未答复的退供单成本为 {awaiting}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="576"/>
        <source>The ReturnDesk server at {base_url} cannot be reached ({name__}). Check the network and that the server is running.</source>
        <translation>无法连接位于 {base_url} 的 ReturnDesk 服务器（{name__}）。请检查网络以及服务器是否在运行。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="577"/>
        <source>The ReturnDesk server at {base_url} did not answer in time. Nothing was saved by this station; check the network and try again.</source>
        <translation>位于 {base_url} 的 ReturnDesk 服务器没有及时响应。本工位未保存任何内容；请检查网络后重试。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="582"/>
        <source>The ReturnDesk server does the housekeeping for every station.</source>
        <translation>日常维护由 ReturnDesk 服务器为所有工位完成。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="583"/>
        <source>The ReturnDesk server refused the request (HTTP {status}) and saved nothing.</source>
        <translation>ReturnDesk 服务器拒绝了请求（HTTP {status}），未保存任何内容。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="584"/>
        <source>The SKU</source>
        <translation>SKU</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="585"/>
        <source>The account {username} has been disabled. Ask an administrator.</source>
        <translation>账户 {username} 已被停用。请联系管理员。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="586"/>
        <source>The account {username} has been disabled; nothing was done. Ask an administrator, or sign in as another user.</source>
        <translation>账户 {username} 已被停用；未做任何操作。请联系管理员，或以其他用户身份登录。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="587"/>
        <source>The account {username} is disabled or no longer exists; sign in again.</source>
        <translation>账户 {username} 已停用或已不存在；请重新登录。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="588"/>
        <source>The account {username} is locked after {max_failed_attempts} failed sign-ins. Try again in {minutes} minutes or ask an administrator to unlock it.</source>
        <translation>账户 {username} 因连续 {max_failed_attempts} 次登录失败已被锁定。请 {minutes} 分钟后重试，或请管理员解锁。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="589"/>
        <source>The account {username} is now locked for {total_seconds} minutes after too many failed sign-ins. Ask an administrator to unlock it.</source>
        <translation>账户 {username} 因登录失败次数过多，现已锁定 {total_seconds} 分钟。请管理员解锁。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="590"/>
        <source>The address must start with https:// (or http:// inside the shop&apos;s network).</source>
        <translation>地址必须以 https:// 开头（店内网络中也可用 http://）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="592"/>
        <source>The approval limit cannot be negative.</source>
        <translation>审批限额不能为负数。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="593"/>
        <source>The approval limit must be an amount, not {approval_limit_minor!r}.</source>
        <translation>审批限额必须是金额，不能是 {approval_limit_minor!r}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="594"/>
        <source>The arguments must be an object of names and values.</source>
        <translation>参数必须是由名称和值组成的对象。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="595"/>
        <source>The arguments of {group}.{method} do not fit: {exc}</source>
        <translation>{group}.{method} 的参数不符：{exc}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="596"/>
        <source>The audit chain ends at event {count}, but the head records event {last_seq}: events were removed from the end.</source>
        <translation>审计链止于事件 {count}，但链头记录的是事件 {last_seq}：末尾的事件被删除了。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="597"/>
        <source>The audit chain of {count} events is intact.</source>
        <translation>由 {count} 个事件组成的审计链完好无损。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="598"/>
        <source>The authorisation date {authorised_on} lies in the future.</source>
        <translation>授权日期 {authorised_on} 在未来。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="599"/>
        <source>The badge code</source>
        <translation>工牌代码</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="600"/>
        <source>The barcode &apos;{data}&apos; needs {bars:.1f} mm at {module_dots} dots per module, but only {right:.1f} mm are available on this label. Use a wider label or a shorter code.</source>
        <translation>条码“{data}”在每模块 {module_dots} 点时需要 {bars:.1f} 毫米，但此标签上只有 {right:.1f} 毫米。请使用更宽的标签或更短的代码。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="601"/>
        <source>The books are sound: every journal entry balances, no order line is refunded above what was paid or returned above what was bought, no stock is negative, every refund has its credit note, and refunds, refund lines, credit notes, journal credits, return totals, exchanges and order-line running totals agree.</source>
        <translation>账目无误：每张记账凭证借贷平衡，没有订单行的退款超过已付金额或退货超过购买数量，没有负库存，每笔退款都有贷项通知单，且退款、退款行、贷项通知单、凭证贷方、退货合计、换货和订单行累计数彼此一致。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="602"/>
        <source>The cash drawer of a counter station: open a shift with the float, see what the drawer should hold, close it with the cash counted (a difference needs a note and is posted to the journal), print a shift&apos;s report, list the shifts of a period. The user named by --user acts (the password is asked) at the station named by --station, on the database itself or through the server (--server).</source>
        <translation>柜台工位的钱箱：用备用金开班，查看钱箱应有金额，用实点现金交班（差额需要备注并记入日记账），打印班次报表，列出某期间的班次。由 --user 指定的用户（会询问密码）在 --station 指定的工位上操作，直接连接数据库或通过服务器（--server）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="603"/>
        <source>The cash shifts opened in a period, newest first, with their differences.</source>
        <translation>期间内开班的收银班次及其差额，最新的在前。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="605"/>
        <source>The claim number</source>
        <translation>退供单号</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="606"/>
        <source>The code</source>
        <translation>代码</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="607"/>
        <source>The company profile of {code} was not saved: {message}</source>
        <translation>{code} 的公司资料未保存：{message}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="610"/>
        <source>The cost of {sku} changed while you scrapped {tag}; scrap it again.</source>
        <translation>报废 {tag} 时 {sku} 的成本已变更；请重新报废。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="611"/>
        <source>The credit note date must be a date, not {issued_on!r}.</source>
        <translation>贷项通知单日期必须是日期，不能是 {issued_on!r}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="612"/>
        <source>The credit note number</source>
        <translation>贷项通知单号</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="613"/>
        <source>The credit note or RMA number</source>
        <translation>贷项通知单号或退货单号</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="614"/>
        <source>The credit note&apos;s {part} {getattr} is not the sum of its lines ({summed}).</source>
        <translation>贷项通知单的{part} {getattr} 不等于各行之和（{summed}）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="615"/>
        <source>The credit of {credited_minor} is more than claim {claim_no} asked ({value_minor}); check the amount on the credit note.</source>
        <translation>贷记金额 {credited_minor} 超过退供单 {claim_no} 的索赔金额（{value_minor}）；请核对贷项通知单上的金额。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="616"/>
        <source>The credited amount must be zero or more.</source>
        <translation>贷记金额必须为零或以上。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="617"/>
        <source>The customer is on the watch list (risk review); a supervisor must approve.</source>
        <translation>该顾客在关注名单上（风险审查）；须由主管审批。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="618"/>
        <source>The customer paid {paid_minor} for {order_label} and {refunded_minor} of it is refunded already; {amount_minor} more for return {rma_no} would give back more than was paid. Nothing was refunded.</source>
        <translation>顾客为 {order_label} 支付了 {paid_minor}，其中 {refunded_minor} 已退款；退货单 {rma_no} 再退 {amount_minor} 将超过实付金额。未退款。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="619"/>
        <source>The customer pays {difference_minor} more for the replacement; choose how they pay (cash, card, WeChat Pay or Alipay). Nothing was saved.</source>
        <translation>顾客需为换货商品补差价 {difference_minor}；请选择付款方式（现金、银行卡、微信支付或支付宝）。未保存任何内容。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="620"/>
        <source>The customer returned {frequent_returner_count} or more times in the last {frequent_returner_days} days (frequent returner).</source>
        <translation>该顾客在最近 {frequent_returner_days} 天内退货 {frequent_returner_count} 次或以上（频繁退货）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="621"/>
        <source>The customer still owes {owed} on replacement order {order_no}; take the payment with &quot;Collect difference&quot; on the return&apos;s page first.</source>
        <translation>顾客在换货单 {order_no} 上仍欠 {owed}；请先在退货详情页用“收取差价”收款。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="622"/>
        <source>The customer&apos;s phone</source>
        <translation>顾客电话</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="623"/>
        <source>The database</source>
        <translation>数据库</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="625"/>
        <source>The database ({where})</source>
        <translation>数据库（{where}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="626"/>
        <source>The database address given is not one ReturnDesk can use. Use sqlite:///path/to/file.sqlite3 for a local file or postgresql://user:password@host:5432/name for a shared server.</source>
        <translation>所给的数据库地址 ReturnDesk 无法使用。本地文件请用 sqlite:///path/to/file.sqlite3，共享服务器请用 postgresql://user:password@host:5432/name。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="627"/>
        <source>The database cannot be reached; nothing was saved. Check the network or the server and try again.</source>
        <translation>无法连接数据库；未保存任何内容。请检查网络或服务器后重试。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="629"/>
        <source>The database is at schema revision {value} and this server needs {head}; its login may not change the schema. Upgrade it with the owner&apos;s login: returndesk db init --url postgresql://OWNER@HOST/DATABASE, then start the server again.</source>
        <translation>数据库的结构版本为 {value}，而本服务器需要 {head}；当前登录账号不能修改数据库结构。请用所有者账号升级：returndesk db init --url postgresql://OWNER@HOST/DATABASE，然后重新启动服务器。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="630"/>
        <source>The database is the one given by --url, else $RETURNDESK_DB_URL, else the local file
of this user. Run &apos;returndesk COMMAND --help&apos; for the details of a command.</source>
        <translation>数据库为 --url 指定的数据库，否则为 $RETURNDESK_DB_URL，否则为当前用户的本地文件。
运行“returndesk COMMAND --help”查看某个命令的详细说明。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="631"/>
        <source>The database uses the encoding {encoding}; ReturnDesk needs UTF8. Create it with CREATE DATABASE returndesk OWNER … ENCODING &apos;UTF8&apos; TEMPLATE template0.</source>
        <translation>数据库使用 {encoding} 编码；ReturnDesk 需要 UTF8。请用 CREATE DATABASE returndesk OWNER … ENCODING &apos;UTF8&apos; TEMPLATE template0 创建。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="632"/>
        <source>The database {describe} is at schema revision {current}, and this ReturnDesk needs {head}, but the login {user} may not change the schema. Ask the administrator to run &apos;returndesk db init&apos; with an administrator login, then start again.</source>
        <translation>数据库 {describe} 的结构版本为 {current}，本 ReturnDesk 需要 {head}，但登录账号 {user} 不能修改数据库结构。请管理员用管理员账号运行“returndesk db init”，然后重新启动。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="633"/>
        <source>The database {describe} was upgraded by a newer ReturnDesk (schema revision {current}); this version knows revisions up to {head}. Install the newer ReturnDesk on this station, or choose another database.</source>
        <translation>数据库 {describe} 已被更新版本的 ReturnDesk 升级（结构版本 {current}）；本版本只认识到 {head} 为止的版本。请在本工位安装较新的 ReturnDesk，或选择其他数据库。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="634"/>
        <source>The disk that holds the database ({where}) is full, or the database reached its size limit; nothing was saved. Free some space on that disk, then try again.</source>
        <translation>存放数据库（{where}）的磁盘已满，或数据库已达到容量上限；未保存任何内容。请清理该磁盘的空间后重试。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="635"/>
        <source>The disk that holds the database is full, or the database reached its size limit; nothing was saved. Free some space on that disk, then try again.</source>
        <translation>存放数据库的磁盘已满，或数据库已达到容量上限；未保存任何内容。请清理该磁盘的空间后重试。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="636"/>
        <source>The display name</source>
        <translation>显示名称</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="637"/>
        <source>The display name is empty; write the name colleagues know the user by.</source>
        <translation>显示名称为空；请填写同事们熟悉的该用户称呼。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="638"/>
        <source>The document font {font_file} is missing from the installation (resources/fonts); reinstall ReturnDesk.</source>
        <translation>安装中缺少单据字体 {font_file}（resources/fonts）；请重新安装 ReturnDesk。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="639"/>
        <source>The document to print is not a PDF; nothing was sent to the printer.</source>
        <translation>要打印的单据不是 PDF；未向打印机发送任何内容。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="640"/>
        <source>The draft to save must be a PolicyRules value.</source>
        <translation>要保存的草稿必须是 PolicyRules 值。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="641"/>
        <source>The drawer holds {counted_minor} but should hold {expected}: write a note on the difference of {difference} before closing.</source>
        <translation>钱箱中有 {counted_minor}，应有 {expected}：结班前请为差额 {difference} 填写说明。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="642"/>
        <source>The drawer of shift {shift_no} should hold {float_minor}, less than the {amount_minor} to pay out. Choose another refund method, or close the shift and open it with a larger float.</source>
        <translation>班次 {shift_no} 的钱箱应有 {float_minor}，少于要支付的 {amount_minor}。请选择其他退款方式，或结班后用更多的备用金重新开班。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="643"/>
        <source>The effective date must be a day, not {effective_on!r}.</source>
        <translation>生效日期必须是某一天，不能是 {effective_on!r}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="644"/>
        <source>The encrypted (SSL) connection to {host} failed with SSL mode {sslmode}. Check the server&apos;s certificate, or choose a weaker SSL mode if your network allows it.</source>
        <translation>以 SSL 模式 {sslmode} 加密（SSL）连接 {host} 失败。请检查服务器证书，或在网络允许时选择较弱的 SSL 模式。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="645"/>
        <source>The explanation is {text_count} characters long; keep it to {max_text_length}.</source>
        <translation>说明有 {text_count} 个字符；请控制在 {max_text_length} 个以内。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="646"/>
        <source>The export has {export_columns_count} columns; {headers_count} titles were given.</source>
        <translation>导出有 {export_columns_count} 列；却给了 {headers_count} 个标题。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="647"/>
        <source>The figures of the analytics dashboard for a period (calendar days of the site, both included): reasons (Pareto), rates (returned of sold, worst first), cycle-times (per stage, with the open returns&apos; ageing), money (refunds, deductions, where the goods went) and risk (customers to review). Amounts are minor units, times seconds.</source>
        <translation>某期间（站点的日历天，包含起止两天）分析看板的数据：reasons（退货原因帕累托）、rates（退货占销售的比率，最差的在前）、cycle-times（各阶段用时，含未完成退货单的账龄）、money（退款、扣减、商品去向）和 risk（需要复核的顾客）。金额以分为单位，时间以秒为单位。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="648"/>
        <source>The file is empty: it has no header row.</source>
        <translation>文件为空：没有表头行。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="649"/>
        <source>The file is not valid JSON: {msg} at line {lineno}, column {colno}.</source>
        <translation>文件不是有效的 JSON：第 {lineno} 行第 {colno} 列 {msg}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="650"/>
        <source>The file name {path} must end in .pdf.</source>
        <translation>文件名 {path} 必须以 .pdf 结尾。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="651"/>
        <source>The file {path} cannot be read: {reason}.</source>
        <translation>无法读取文件 {path}：{reason}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="652"/>
        <source>The file {path} does not exist.</source>
        <translation>文件 {path} 不存在。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="653"/>
        <source>The filter text</source>
        <translation>筛选文本</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="654"/>
        <source>The first administrator of a ReturnDesk server is made on the server&apos;s computer: returndesk user add --url postgresql://… --role admin NAME. Then sign in here.</source>
        <translation>ReturnDesk 服务器的第一个管理员在服务器所在的电脑上创建：returndesk user add --url postgresql://… --role admin NAME。然后在此登录。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="655"/>
        <source>The folder {folder} cannot be created ({value}); choose another folder in the printer settings.</source>
        <translation>无法创建文件夹 {folder}（{value}）；请在打印机设置中选择其他文件夹。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="656"/>
        <source>The folder {parent} does not exist; choose another place to save the PDF.</source>
        <translation>文件夹 {parent} 不存在；请选择其他位置保存 PDF。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="657"/>
        <source>The folder {parent} does not exist; create it or choose another.</source>
        <translation>文件夹 {parent} 不存在；请创建它或选择其他文件夹。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="660"/>
        <source>The header row lacks the column(s) {missing}. The columns are: {columns}.</source>
        <translation>表头行缺少列 {missing}。可用的列为：{columns}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="661"/>
        <source>The header row names {d} more than once.</source>
        <translation>表头行中 {d} 出现了不止一次。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="662"/>
        <source>The host name cannot contain spaces.</source>
        <translation>主机名不能包含空格。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="663"/>
        <source>The host name {host} is unknown on this network. Check its spelling, or enter the server&apos;s IP address.</source>
        <translation>本网络中不认识主机名 {host}。请检查拼写，或输入服务器的 IP 地址。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="664"/>
        <source>The import was cancelled; nothing was imported.</source>
        <translation>导入已取消；未导入任何内容。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="665"/>
        <source>The inspected grade does not fit the return reason; a supervisor must decide.</source>
        <translation>质检成色与退货原因不符；须由主管决定。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="666"/>
        <source>The inspection of {rma} is not complete yet, so {tag} cannot be {doing}.</source>
        <translation>{rma} 的检验尚未完成，{tag} 还不能{doing}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="667"/>
        <source>The label date must be a date, not {created_on!r}.</source>
        <translation>标签日期必须是日期，不能是 {created_on!r}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="668"/>
        <source>The label is not ZPL (it must start with ^XA); nothing was sent to the printer.</source>
        <translation>标签不是 ZPL（必须以 ^XA 开头）；未向打印机发送任何内容。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="669"/>
        <source>The label printer at {host}:{port} did not answer within {timeout:.0f} seconds. Check that it is switched on and connected, then print again.</source>
        <translation>位于 {host}:{port} 的标签打印机在 {timeout:.0f} 秒内没有响应。请检查它是否已开机并连接，然后重新打印。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="670"/>
        <source>The list of event types is too long.</source>
        <translation>事件类型列表太长。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="671"/>
        <source>The list position is no longer valid; reload the list from the top.</source>
        <translation>列表位置已失效；请从头重新载入列表。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="672"/>
        <source>The list&apos;s position is not valid any more; load the list again.</source>
        <translation>列表位置已失效；请重新载入列表。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="674"/>
        <source>The login {login} may create roles or databases (or is a superuser); the server&apos;s login must not. Choose another name or take those rights away first</source>
        <translation>登录账号 {login} 可以创建角色或数据库（或是超级用户）；服务器的登录账号不能有这些权限。请换一个名称，或先收回这些权限</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="675"/>
        <source>The login {login} needs a password</source>
        <translation>登录账号 {login} 需要密码</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="676"/>
        <source>The lowest amount is above the highest; swap them.</source>
        <translation>最低金额高于最高金额；请对调。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="677"/>
        <source>The mapping names no field; map at least the key column.</source>
        <translation>映射中没有任何字段；请至少映射关键列。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="678"/>
        <source>The monthly report is a PDF: give a file name ending in .pdf with --out.</source>
        <translation>月度报表是 PDF：请用 --out 指定以 .pdf 结尾的文件名。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="679"/>
        <source>The note is longer than 500 characters; shorten it.</source>
        <translation>备注超过 500 个字符；请缩短。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="680"/>
        <source>The note is {note_count} characters long; keep it to 500.</source>
        <translation>备注有 {note_count} 个字符；请控制在 500 个以内。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="681"/>
        <source>The number of log entries to list must be at least 1, not {limit!r}.</source>
        <translation>要列出的日志条数至少为 1，不能是 {limit!r}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="682"/>
        <source>The number of results must be at least 1, not {limit!r}.</source>
        <translation>结果数量至少为 1，不能是 {limit!r}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="683"/>
        <source>The number of rows to list must be at least 1, not {limit!r}.</source>
        <translation>要列出的行数至少为 1，不能是 {limit!r}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="684"/>
        <source>The number of units must be at least 1, not {quantity!r}.</source>
        <translation>件数至少为 1，不能是 {quantity!r}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="685"/>
        <source>The number of versions to list must be at least 1, not {limit!r}.</source>
        <translation>要列出的版本数至少为 1，不能是 {limit!r}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="686"/>
        <source>The order line has no units bought; nothing can be refunded.</source>
        <translation>该订单行没有购买的件数；无可退款。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="687"/>
        <source>The order line has no units; nothing can be refunded.</source>
        <translation>该订单行没有件数；无可退款。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="688"/>
        <source>The order number</source>
        <translation>订单号</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="689"/>
        <source>The packing slip date must be a date, not {issued_on!r}.</source>
        <translation>装箱单日期必须是日期，不能是 {issued_on!r}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="691"/>
        <source>The parts cost must be zero or more.</source>
        <translation>配件成本不能为负数。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="692"/>
        <source>The password must have at least {min_password_length} characters.</source>
        <translation>密码至少需要 {min_password_length} 个字符。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="693"/>
        <source>The password of a new login is asked twice (at least 12 characters) or read from the
first line of standard input with --password-stdin; it is sent to PostgreSQL only as a
SCRAM-SHA-256 verifier. An existing login keeps its password unless --set-password.

example:
  returndesk db init --url postgresql://returndesk_owner@dbhost/returndesk</source>
        <translation>新登录名的密码会要求输入两次（至少 12 个字符），或用 --password-stdin 从
标准输入的第一行读取；它只以 SCRAM-SHA-256 校验值的形式发送给 PostgreSQL。
已有的登录名保留原密码，除非给出 --set-password。

示例：
  returndesk db init --url postgresql://returndesk_owner@dbhost/returndesk</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="694"/>
        <source>The password of {name} was changed.</source>
        <translation>{name} 的密码已修改。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="695"/>
        <source>The period ends ({date_to}) before it starts ({date_from}); swap the dates.</source>
        <translation>期间的结束日（{date_to}）早于开始日（{date_from}）；请对调日期。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="696"/>
        <source>The period ends ({end}) before it starts ({start}); swap --from and --to.</source>
        <translation>期间的结束日（{end}）早于开始日（{start}）；请对调 --from 和 --to。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="697"/>
        <source>The period starts on {date_from:%Y-%m-%d} but ends earlier, on {date_to:%Y-%m-%d}; swap the dates.</source>
        <translation>期间从 {date_from:%Y-%m-%d} 开始，却在更早的 {date_to:%Y-%m-%d} 结束；请对调日期。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="699"/>
        <source>The phone or e-mail</source>
        <translation>电话或电子邮件</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="701"/>
        <source>The policy draft was saved by another administrator since you opened it; nothing was published. Reload the draft and look at it again.</source>
        <translation>您打开政策草稿后，另一位管理员已保存了它；未发布任何内容。请重新载入草稿并再次查看。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="702"/>
        <source>The policy name is {title_count} characters long; keep it to {name_limit}.</source>
        <translation>政策名称有 {title_count} 个字符；请控制在 {name_limit} 个以内。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="703"/>
        <source>The policy to publish must be a PolicyRules value.</source>
        <translation>要发布的政策必须是 PolicyRules 值。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="704"/>
        <source>The policy was not published:
{listed}</source>
        <translation>政策未发布：
{listed}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="705"/>
        <source>The port is a number from 1 to 65535 (PostgreSQL&apos;s default is 5432).</source>
        <translation>端口为 1 到 65535 之间的数字（PostgreSQL 默认为 5432）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="706"/>
        <source>The printer &apos;{queue}&apos; is not accepting jobs at the moment. Enable it in CUPS, then print again.</source>
        <translation>打印机“{queue}”目前不接受打印任务。请在 CUPS 中启用它，然后重新打印。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="707"/>
        <source>The printers of {code} were not saved: {problems}</source>
        <translation>{code} 的打印机未保存：{problems}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="708"/>
        <source>The product code</source>
        <translation>商品代码</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="709"/>
        <source>The product search</source>
        <translation>商品搜索</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="710"/>
        <source>The profile was not saved: {problems}</source>
        <translation>方案未保存：{problems}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="711"/>
        <source>The quantity must be a whole number of at least 1, not {quantity!r}.</source>
        <translation>数量必须是至少为 1 的整数，不能是 {quantity!r}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="712"/>
        <source>The quantity of {ref} must be a whole number of at least 1, not {qty!r}.</source>
        <translation>{ref} 的数量必须是至少为 1 的整数，不能是 {qty!r}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="713"/>
        <source>The quantity of {sku} must be 1 or more, not {quantity!r}.</source>
        <translation>{sku} 的数量必须为 1 或以上，不能是 {quantity!r}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="714"/>
        <source>The quantity to return must be at least 1, not {requested_qty}.</source>
        <translation>退货数量至少为 1，不能是 {requested_qty}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="716"/>
        <source>The reason is {text_count} characters long; keep it to 500.</source>
        <translation>原因有 {text_count} 个字符；请控制在 500 个以内。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="717"/>
        <source>The reason was not saved:
{listed}</source>
        <translation>退货原因未保存：
{listed}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="718"/>
        <source>The receipt deductions {deductions} are less than the lines&apos; deductions ({line_deductions}).</source>
        <translation>小票扣减 {deductions} 少于各行扣减之和（{line_deductions}）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="719"/>
        <source>The receipt subtotal {subtotal} is not the sum of its lines ({gross}).</source>
        <translation>小票小计 {subtotal} 不等于各行之和（{gross}）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="720"/>
        <source>The receipt time must be a datetime, not {issued_at!r}.</source>
        <translation>小票时间必须是日期时间，不能是 {issued_at!r}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="721"/>
        <source>The receipt total {total} does not add up: subtotal {subtotal} - deductions {deductions} + shipping {shipping_refund} = {expected}.</source>
        <translation>小票合计 {total} 对不上：小计 {subtotal} - 扣减 {deductions} + 运费 {shipping_refund} = {expected}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="725"/>
        <source>The record was not saved: {messages}.</source>
        <translation>记录未保存：{messages}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="726"/>
        <source>The record was not saved: {problems}.</source>
        <translation>记录未保存：{problems}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="727"/>
        <source>The refund of return {rma_no} does not add up: the lines give {lines_total} and shipping {shipping}, but the approved total is {total}. Nothing was paid; re-inspect the return.</source>
        <translation>退货单 {rma_no} 的退款对不上：各行合计 {lines_total}，运费 {shipping}，但批准的总额为 {total}。未付款；请重新质检该退货单。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="728"/>
        <source>The repair note</source>
        <translation>维修说明</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="729"/>
        <source>The replacement order or RMA number</source>
        <translation>换货单号或退货单号</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="730"/>
        <source>The report of one cash shift: its amounts and each cash refund paid out of it, on the screen or as the A4 PDF (-o FILE.pdf).</source>
        <translation>单个收银班次的报表：其金额和从中支付的每笔现金退款，显示在屏幕上或输出为 A4 PDF（-o FILE.pdf）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="731"/>
        <source>The reprint number of a {what} must be 0 (original) or a positive count, not {reprint!r}.</source>
        <translation>{what}的补打次数必须为 0（原件）或正数，不能是 {reprint!r}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="733"/>
        <source>The request has no lines; name at least one item to return.</source>
        <translation>申请中没有任何行；请至少列出一件要退的商品。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="735"/>
        <source>The return is outside the policy and was not overridden; a supervisor must override with a written reason and approve.</source>
        <translation>该退货不符合政策且未经特批；须由主管书面说明理由进行特批并审批。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="736"/>
        <source>The return label needs the address of the receiving warehouse.</source>
        <translation>退货标签需要收货仓库的地址。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="737"/>
        <source>The return request was not accepted: {problems}</source>
        <translation>退货申请未被接受：{problems}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="738"/>
        <source>The return was accepted by a policy override; a supervisor must approve the refund.</source>
        <translation>该退货经政策特批受理；退款须由主管审批。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="739"/>
        <source>The return was not saved: {head}</source>
        <translation>退货单未保存：{head}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="742"/>
        <source>The return-to address cannot be empty: return labels need it.</source>
        <translation>退货收货地址不能为空：退货标签需要它。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="743"/>
        <source>The returnable quantity cannot be {returnable_qty}.</source>
        <translation>可退数量不能是 {returnable_qty}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="744"/>
        <source>The role of {who} was changed from {role} to {role2}; nothing was done. Sign out and sign in again to work as {role2}.</source>
        <translation>{who} 的角色已从{role}改为{role2}；未做任何操作。请注销后重新登录，以{role2}身份工作。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="745"/>
        <source>The same request is still being carried out; ask again in a moment.</source>
        <translation>同一请求仍在处理中；请稍后再试。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="746"/>
        <source>The same request was just retried; try again.</source>
        <translation>同一请求刚刚被重试；请再试一次。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="747"/>
        <source>The saved column mappings (profiles) of import files, per kind.</source>
        <translation>按类型列出已保存的导入文件列对应方案。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="748"/>
        <source>The scan</source>
        <translation>扫描内容</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="751"/>
        <source>The scanned item is {sku} ({name}), but line {line_no} is {line_sku}. Scan the item without choosing a line, or choose its own line.</source>
        <translation>扫描的商品是 {sku}（{name}），但第 {line_no} 行是 {line_sku}。请不选行直接扫描，或选择该商品自己的行。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="752"/>
        <source>The scanned item tag</source>
        <translation>扫描的商品标签</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="753"/>
        <source>The scrap reason</source>
        <translation>报废原因</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="754"/>
        <source>The search finds more than {max_export_rows:,} returns; narrow it (a shorter period, a status) and export again.</source>
        <translation>搜索结果超过 {max_export_rows:,} 个退货单；请缩小范围（缩短期间、指定状态）后再导出。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="755"/>
        <source>The search text</source>
        <translation>搜索文本</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="756"/>
        <source>The server address is only the scheme, host and port, e.g. https://returns.example.lan:8443.</source>
        <translation>服务器地址只包含协议、主机和端口，例如 https://returns.example.lan:8443。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="757"/>
        <source>The server asks for a password for {user}. Enter the password and try again.</source>
        <translation>服务器要求 {user} 的密码。请输入密码后重试。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="758"/>
        <source>The server at {base_url} cannot be reached: {exc}.</source>
        <translation>无法连接位于 {base_url} 的服务器：{exc}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="759"/>
        <source>The server at {base_url} shows a certificate with the fingerprint {seen}, not the one given ({expected}). Nothing was sent. Check the fingerprint with the server&apos;s administrator: someone may be in between.</source>
        <translation>位于 {base_url} 的服务器出示的证书指纹为 {seen}，而不是所给的指纹（{expected}）。未发送任何内容。请与服务器管理员核对指纹：可能有人在中间拦截。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="760"/>
        <source>The server at {host} has no free connections. Try again in a moment, or ask the administrator to raise max_connections.</source>
        <translation>{host} 上的服务器没有空闲连接。请稍后再试，或请管理员调高 max_connections。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="762"/>
        <source>The server could not complete the request and saved nothing. Tell the administrator the time it happened; the details are in the server log.</source>
        <translation>服务器无法完成请求，未保存任何内容。请将发生时间告知管理员；详细信息在服务器日志中。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="763"/>
        <source>The server did not open its change feed.</source>
        <translation>服务器没有打开变更推送。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="764"/>
        <source>The server does not accept encrypted (SSL) connections, but the SSL mode is {sslmode}. Choose &apos;prefer&apos; or &apos;disable&apos;, or enable SSL on the server.</source>
        <translation>服务器不接受加密（SSL）连接，但 SSL 模式为 {sslmode}。请选择“prefer”或“disable”，或在服务器上启用 SSL。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="765"/>
        <source>The server does not allow {user} to connect from this station (pg_hba.conf has no entry for it{ssl_hint}). Ask the database administrator to allow this station.</source>
        <translation>服务器不允许 {user} 从本工位连接（pg_hba.conf 中没有对应条目{ssl_hint}）。请数据库管理员允许本工位连接。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="766"/>
        <source>The server has no database named {database}. Check the name, or ask the administrator to create it and run &apos;returndesk db init&apos;.</source>
        <translation>服务器上没有名为 {database} 的数据库。请检查名称，或请管理员创建它并运行“returndesk db init”。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="767"/>
        <source>The server has no database user {user}. Check the user name: only the ReturnDesk server&apos;s login (made by &apos;returndesk db init&apos;) and the database&apos;s owner connect; stations connect to the ReturnDesk server instead.</source>
        <translation>服务器上没有数据库用户 {user}。请检查用户名：只有 ReturnDesk 服务器的登录账号（由“returndesk db init”创建）和数据库所有者可以连接；工位应连接 ReturnDesk 服务器。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="768"/>
        <source>The server is busy signing other people in. The station tries again by itself; if this stays, try again in a minute.</source>
        <translation>服务器正忙于处理其他人的登录。工作站会自动重试；如果一直如此，请一分钟后再试。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="769"/>
        <source>The server refused the login {user}: the password is wrong or the user does not exist. Check both, or ask the database administrator.</source>
        <translation>服务器拒绝了登录账号 {user}：密码错误或用户不存在。请核对两者，或联系数据库管理员。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="770"/>
        <source>The server settings are incomplete: {problems}</source>
        <translation>服务器设置不完整：{problems}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="771"/>
        <source>The server would listen on {host} without TLS. Run &apos;returndesk server init&apos; to make a certificate (or put server.crt and server.key in --tls-dir); plain HTTP is only for loopback.</source>
        <translation>服务器将在 {host} 上不加 TLS 监听。请运行“returndesk server init”生成证书（或将 server.crt 和 server.key 放入 --tls-dir）；明文 HTTP 只用于本机回环地址。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="772"/>
        <source>The server {host} did not answer on port {port} within {timeout} seconds. Check the network, the host name and any firewall between this station and the server.</source>
        <translation>服务器 {host} 在 {timeout} 秒内没有在 {port} 端口响应。请检查网络、主机名以及本工位与服务器之间的防火墙。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="28"/>
        <source> Serial {serial} was not sold on this order line.</source>
        <translation> 序列号 {serial} 不是这一订单行售出的。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="10"/>
        <source>  (nothing)</source>
        <translation>  （无）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="11"/>
        <source>  [{kind}] {message}</source>
        <translation>  [{kind}] {message}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="12"/>
        <source>  cash paid out {amount} in {refunds}</source>
        <translation>  现金支出   {amount}，共 {refunds}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="13"/>
        <source>  closed        {when} by {who}</source>
        <translation>  交班       {when}，{who}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="14"/>
        <source>  counted       {amount}</source>
        <translation>  实点       {amount}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="15"/>
        <source>  difference    {difference}</source>
        <translation>  差额       {difference}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="16"/>
        <source>  difference    {difference} (journal entry {entry_no})</source>
        <translation>  差额       {difference}（记账凭证 {entry_no}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="17"/>
        <source>  expected      {amount}</source>
        <translation>  应有       {amount}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="18"/>
        <source>  float         {amount}</source>
        <translation>  备用金     {amount}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="19"/>
        <source>  note          {note}</source>
        <translation>  备注       {note}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="20"/>
        <source>  opened        {when} by {who}</source>
        <translation>  开班       {when}，{who}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="21"/>
        <source>  preview before printing: {preview}; label size {label_size}; receipt roll {receipt_width} mm; Zebra {dpi} dpi</source>
        <translation>  打印前预览：{preview}；标签尺寸 {label_size}；小票纸宽 {receipt_width} mm；Zebra {dpi} dpi</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="22"/>
        <source>  took {seconds} s</source>
        <translation>  用时 {seconds} 秒</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="23"/>
        <source>  {header} -&gt; {target}</source>
        <translation>  {header} -&gt; {target}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="24"/>
        <source>  {products} products, {customers} customers, {orders:,} orders ({lines:,} lines), {stations} stations</source>
        <translation>  {products} 个商品，{customers} 位顾客，{orders:,} 个订单（{lines:,} 行），{stations} 个工位</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="25"/>
        <source>  {returns:,} returns: {via_services:,} through the use cases, {bulk:,} in bulk ({rate} returns/s)</source>
        <translation>  {returns:,} 张退货单：{via_services:,} 张经业务流程生成，{bulk:,} 张批量写入（每秒 {rate} 张）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="26"/>
        <source> (graded {grade}: {why})</source>
        <translation>（定为 {grade}，因为{why}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="27"/>
        <source> (the line was closed short; this unit reopens it)</source>
        <translation>（该行已短收结行；这件商品使其重新打开）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="29"/>
        <source> by {set_by}</source>
        <translation>：{set_by}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="32"/>
        <source> on {set_at:%Y-%m-%d %H:%M}</source>
        <translation> {set_at:%Y-%m-%d %H:%M}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="44"/>
        <source>&apos;{code}&apos; contains characters a barcode does not: the scanner may be typing through a Chinese input method. Switch the input method to English and scan again.</source>
        <translation>“{code}”含有条码中不会出现的字符：扫描枪可能正通过中文输入法输入。请把输入法切换为英文后重新扫描。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="45"/>
        <source>&apos;{code}&apos; contains spaces; it is not a code ReturnDesk knows.</source>
        <translation>“{code}”含有空格，不是 ReturnDesk 能识别的编码。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="83"/>
        <source>&apos;{shown}&apos; is a command barcode; the station handles commands before recording units.</source>
        <translation>“{shown}”是命令条码；工位先处理命令，再记录商品。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="84"/>
        <source>&apos;{shown}&apos; is a command from the inspection sheet; scan the RMA label on the parcel first.</source>
        <translation>“{shown}”是质检命令表上的命令；请先扫描包裹上的退货标签。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="85"/>
        <source>&apos;{shown}&apos; is a product barcode, not an RMA label; scan the RMA label on the parcel first.</source>
        <translation>“{shown}”是商品条码，不是退货标签；请先扫描包裹上的退货标签。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="86"/>
        <source>&apos;{shown}&apos; is not an RMA label; scan the RMA label on the parcel.</source>
        <translation>“{shown}”不是退货标签；请扫描包裹上的退货标签。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="87"/>
        <source>&apos;{shown}&apos; is not an item code; scan the item&apos;s barcode.</source>
        <translation>“{shown}”不是商品代码；请扫描商品的条码。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="121"/>
        <source>(empty)</source>
        <translation>（空）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="139"/>
        <source>A clerk</source>
        <translation>店员</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="141"/>
        <source>A finance user</source>
        <translation>财务人员</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="143"/>
        <source>A manager</source>
        <translation>经理</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="161"/>
        <source>A supervisor</source>
        <translation>主管</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="171"/>
        <source>An administrator</source>
        <translation>管理员</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="173"/>
        <source>An inspector</source>
        <translation>质检员</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="177"/>
        <source>Another station saved the same record at the same moment; nothing was saved. Reload and try again.</source>
        <translation>另一个工位同时保存了同一条记录；本次没有保存任何内容。请刷新后重试。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="196"/>
        <source>Cannot write {final}: {reason}. Choose another place.</source>
        <translation>无法写入 {final}：{reason}。请选择其他位置。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="213"/>
        <source>Claim {claim_no} holds no units yet; scan the item tags of the units going back to {supplier} first.</source>
        <translation>退供单 {claim_no} 还没有商品；请先扫描要退回 {supplier} 的商品的商品标签。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="220"/>
        <source>Claim {claim_no} to {supplier} is worth {value}, below the supplier&apos;s minimum claim of {minimum}; collect more units before asking for authorisation.</source>
        <translation>退给 {supplier} 的退供单 {claim_no} 价值 {value}，低于该供应商的最低退供金额 {minimum}；请集齐更多商品后再申请授权。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="231"/>
        <source>Could not connect to PostgreSQL at {host}:{port}/{database}. Check the settings with the database administrator.</source>
        <translation>无法连接到 {host}:{port}/{database} 上的 PostgreSQL。请与数据库管理员核对设置。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="234"/>
        <source>Could not send the label to the printer at {host}:{port}. Check the printer&apos;s address in the station&apos;s printer settings and that it is switched on.</source>
        <translation>无法把标签发送到 {host}:{port} 的打印机。请在工位的打印机设置中核对打印机地址，并确认打印机已开机。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="297"/>
        <source>Goods in hand are taken at the counter: a walk-in return must use the counter channel, not &apos;{channel}&apos;.</source>
        <translation>带着商品来的退货在柜台办理：到店退货必须使用柜台渠道，不能用“{channel}”。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="317"/>
        <source>Line {line_no} ({name})</source>
        <translation>第 {line_no} 行（{name}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="325"/>
        <source>Line {n}: the SKU</source>
        <translation>第 {n} 行的 SKU</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="335"/>
        <source>Live updates cannot connect to the database; the station tries again by itself. If it stays offline, check the network and the database server.</source>
        <translation>实时更新无法连接数据库；工位会自动重试。如果一直离线，请检查网络和数据库服务器。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="344"/>
        <source>No computer named {host} was found. Check the webhook&apos;s address.</source>
        <translation>找不到名为 {host} 的计算机。请检查 Webhook 的地址。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="356"/>
        <source>No receipt: refunded as store credit at the lowest price of the last {days} days ({price}).</source>
        <translation>无小票：按最近 {days} 天的最低售价（{price}）以门店储值退款。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="357"/>
        <source>No receipt: refunded as store credit at today&apos;s price ({price}); no lower sale in the last {days} days.</source>
        <translation>无小票：按今日售价（{price}）以门店储值退款；最近 {days} 天没有更低的售价。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="366"/>
        <source>No sale with order number &apos;{order_no}&apos; was found. Check the number on the receipt, or search by the customer&apos;s phone or name.</source>
        <translation>找不到订单号为“{order_no}”的销售。请核对小票上的号码，或按顾客的电话或姓名搜索。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="380"/>
        <source>Not possible while the return is {status}.</source>
        <translation>退货单当前为{status}，无法执行。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="386"/>
        <source>Nothing was scanned.</source>
        <translation>没有扫描到内容。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="398"/>
        <source>Parcel #{id} was already matched to {rma}; reload the list.</source>
        <translation>包裹 #{id} 已匹配到 {rma}；请重新载入列表。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="399"/>
        <source>Parcel #{id} was already sent back; reload the list.</source>
        <translation>包裹 #{id} 已被退回；请重新载入列表。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="404"/>
        <source>Posting to the receiver at {host} failed. The delivery is tried again later.</source>
        <translation>向 {host} 的接收方推送失败。稍后会再次推送。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="440"/>
        <source>Required condition not met: {words}.</source>
        <translation>未满足必需条件：{words}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="441"/>
        <source>Required conditions not met: {words}.</source>
        <translation>未满足必需条件：{words}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="447"/>
        <source>Return policy setting &apos;{setting}&apos; names {unknown}, which are not categories; the categories are {known}.</source>
        <translation>退货政策设置“{setting}”列出的 {unknown} 不是类别；现有类别为 {known}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="448"/>
        <source>Return policy setting &apos;{setting}&apos; names {unknown}, which is not a category; the categories are {known}.</source>
        <translation>退货政策设置“{setting}”列出的 {unknown} 不是类别；现有类别为 {known}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="478"/>
        <source>Return {rma_no} was exchanged already ({exchanged}; difference refunded as {refund_no}, {amount_minor}, by {value}, at {issued_at:%Y-%m-%d %H:%M}). Nothing was paid again.</source>
        <translation>退货单 {rma_no} 已换货（{exchanged}；差价已退款 {refund_no}，{amount_minor}，经办：{value}，时间 {issued_at:%Y-%m-%d %H:%M}）。未重复付款。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="481"/>
        <source>Return {rma_no} was refunded already ({refund_no}, {amount_minor}, by {value}, at {issued_at:%Y-%m-%d %H:%M}). Nothing was paid again.</source>
        <translation>退货单 {rma_no} 已退款（{refund_no}，{amount_minor}，经办：{value}，时间 {issued_at:%Y-%m-%d %H:%M}）。未重复付款。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="483"/>
        <source>Return {rma}</source>
        <translation>退货单 {rma}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="484"/>
        <source>Return {rma} cannot {doing}: it is {status} (set {by_on}). Units can be recorded and changed only while a return is received and not yet inspected.</source>
        <translation>退货单 {rma} 不能{doing}：当前为{status}（{by_on}设置）。只有在退货单已收货、尚未完成质检时才能记录和修改商品。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="486"/>
        <source>Return {rma} has not been received yet, so you cannot {doing}: receive the parcel first (scan its RMA label).</source>
        <translation>退货单 {rma} 尚未收货，因此不能{doing}：请先收货（扫描包裹的退货标签）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="527"/>
        <source>Serial {serial} is already back from the customer on {rma_no} ({status}); one unit is refunded once.</source>
        <translation>序列号 {serial} 已在 {rma_no} 上由顾客退回（{status}）；同一件商品只能退款一次。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="529"/>
        <source>Serial {serial} was not sold on this order line.</source>
        <translation>序列号 {serial} 不是这一订单行售出的。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="545"/>
        <source>Signed off at the counter on the screen of {clerk}.</source>
        <translation>在柜台 {clerk} 的屏幕上签批。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="578"/>
        <source>The ReturnDesk server at {server_url} cannot be reached. Check the address, the network and that the server is running.</source>
        <translation>无法连接 {server_url} 的 ReturnDesk 服务器。请检查地址和网络，并确认服务器正在运行。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="579"/>
        <source>The ReturnDesk server at {server_url} has a certificate this station does not know yet (SHA-256 {fingerprint}). Compare it with the fingerprint the server printed and confirm it.</source>
        <translation>{server_url} 的 ReturnDesk 服务器使用了本工位尚不认识的证书（SHA-256 {fingerprint}）。请与服务器打印出的指纹核对后再确认。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="580"/>
        <source>The ReturnDesk server at {server_url} shows a different certificate than the one this station confirmed (confirmed {pinned}, now {fingerprint}). The station does not connect: someone may be intercepting the connection. Ask the administrator; if the server really has a new certificate, set the station up again and confirm the new fingerprint.</source>
        <translation>{server_url} 的 ReturnDesk 服务器出示的证书与本工位确认过的不同（已确认 {pinned}，现在为 {fingerprint}）。工位不会连接：可能有人在截取连接。请联系管理员；如果服务器确实换了新证书，请重新设置工位并确认新的指纹。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="581"/>
        <source>The ReturnDesk server does not answer; the station reconnects by itself. If it stays offline, check the network and the server.</source>
        <translation>ReturnDesk 服务器没有响应；工位会自动重新连接。如果一直离线，请检查网络和服务器。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="591"/>
        <source>The address {url} cannot be posted to. Give the webhook an http:// or https:// address.</source>
        <translation>无法向地址 {url} 推送。请为 Webhook 填写 http:// 或 https:// 地址。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="604"/>
        <source>The certificate of the receiver at {host} was not accepted. Check the webhook&apos;s address and the receiver&apos;s certificate.</source>
        <translation>{host} 的接收方证书未被接受。请检查 Webhook 的地址和接收方的证书。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="608"/>
        <source>The connection to the database for live updates was lost; the station reconnects by itself. If it stays offline, check the network and the database server.</source>
        <translation>实时更新与数据库的连接已断开；工位会自动重新连接。如果一直离线，请检查网络和数据库服务器。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="609"/>
        <source>The connection to the server&apos;s change feed was lost; the station reconnects by itself.</source>
        <translation>与服务器变更推送的连接已断开；工位会自动重新连接。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="624"/>
        <source>The database ({description}) cannot be reached. Check the address, the network and the server.</source>
        <translation>无法连接数据库（{description}）。请检查地址、网络和服务器。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="628"/>
        <source>The database file cannot be checked for changes any more; check that it is still there and readable. The station tries again by itself.</source>
        <translation>无法再检查数据库文件的变更；请确认该文件仍在且可读。工位会自动重试。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="658"/>
        <source>The goods of {rma} went back to the customer when its refund was refused; none of its units can be refurbished.</source>
        <translation>退货单 {rma} 的退款被驳回时，商品已退还顾客；其中没有可送修翻新的商品。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="659"/>
        <source>The goods of {rma} went back to the customer when its refund was refused; none of its units can go to the vendor.</source>
        <translation>退货单 {rma} 的退款被驳回时，商品已退还顾客；其中没有可退回供应商的商品。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="673"/>
        <source>The local database file {path} cannot be opened. Check that the folder exists and is writable, or choose another file.</source>
        <translation>无法打开本地数据库文件 {path}。请确认文件夹存在且可写，或选择其他文件。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="690"/>
        <source>The parcel was not recorded: {problems}</source>
        <translation>包裹未登记：{problems}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="698"/>
        <source>The phone number</source>
        <translation>电话号码</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="700"/>
        <source>The policy draft was discarded by another administrator since you opened it; nothing was published.</source>
        <translation>您打开政策草稿后，另一位管理员已丢弃了它；未发布任何内容。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="715"/>
        <source>The reason is {count} characters long; keep it to {max_text}.</source>
        <translation>理由有 {count} 个字符；请控制在 {max_text} 个以内。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="722"/>
        <source>The receiver answered HTTP {status}. The delivery is tried again later.</source>
        <translation>接收方返回 HTTP {status}。稍后会再次推送。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="723"/>
        <source>The receiver at {host} did not answer in time. The delivery is tried again later.</source>
        <translation>{host} 的接收方没有及时响应。稍后会再次推送。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="724"/>
        <source>The receiver at {host} refused the connection or cannot be reached. Check that it is running; the delivery is tried again later.</source>
        <translation>{host} 的接收方拒绝连接或无法访问。请确认它正在运行；稍后会再次推送。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="732"/>
        <source>The request body must be a JSON object such as {{&quot;args&quot;: {{}}}}.</source>
        <translation>请求正文必须是 JSON 对象，例如 {{&quot;args&quot;: {{}}}}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="734"/>
        <source>The return has no lines; add at least one item to return.</source>
        <translation>退货单没有明细行；请至少添加一件要退的商品。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="740"/>
        <source>The return was not saved: {problem}</source>
        <translation>退货单未保存：{problem}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="741"/>
        <source>The return was not saved; {count} things need fixing:
{listed}</source>
        <translation>退货单未保存；有 {count} 处需要修改：
{listed}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="749"/>
        <source>The scan contains control characters; scan it again.</source>
        <translation>扫描内容含有控制字符，请重新扫描。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="750"/>
        <source>The scan is {length} characters long; no product code is that long.</source>
        <translation>扫描内容长 {length} 个字符，没有这么长的商品编码。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="761"/>
        <source>The server closed the change feed; the station reconnects by itself.</source>
        <translation>服务器关闭了变更推送；工位会自动重新连接。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="773"/>
        <source>The server&apos;s change feed cannot be opened; the station tries again by itself. Check that the ReturnDesk server is running and reachable.</source>
        <translation>无法打开服务器的变更推送；工位会自动重试。请确认 ReturnDesk 服务器正在运行且可以访问。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="774"/>
        <source>The server&apos;s database password must have at least 12 characters</source>
        <translation>服务器的数据库密码至少需要 12 个字符</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="775"/>
        <source>The server&apos;s login must not be the owner of the database ({login}); give it a name of its own, e.g. returndesk_server</source>
        <translation>服务器的登录账号不能是数据库的所有者（{login}）；请为它另取一个名称，例如 returndesk_server</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="776"/>
        <source>The sort order must be a whole number, not {sort_order!r}.</source>
        <translation>排序号必须是整数，不能是 {sort_order!r}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="777"/>
        <source>The station&apos;s name must have 1 to 80 characters.</source>
        <translation>工位名称必须为 1 到 80 个字符。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="778"/>
        <source>The store credit to spend must be a positive amount, not {amount_minor!r}.</source>
        <translation>要使用的储值必须是正数金额，不能是 {amount_minor!r}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="779"/>
        <source>The stored return policy is not a JSON object.</source>
        <translation>保存的退货政策不是 JSON 对象。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="780"/>
        <source>The stored return policy is not valid JSON ({exc}); save the policy again.</source>
        <translation>保存的退货政策不是有效的 JSON（{exc}）；请重新保存政策。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="781"/>
        <source>The stored settings of {code} are damaged (not a JSON object). An administrator can reset them by saving the station&apos;s settings again.</source>
        <translation>{code} 保存的设置已损坏（不是 JSON 对象）。管理员可以重新保存该工位的设置来重置。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="782"/>
        <source>The supplier accepted {accepted_count} unit(s): enter the number and amount of its credit note, or mark every unit refused.</source>
        <translation>供应商接受了 {accepted_count} 件：请输入其贷项通知单的号码和金额，或将所有商品标记为被拒。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="783"/>
        <source>The supplier code</source>
        <translation>供应商代码</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="784"/>
        <source>The supplier refused every unit, so nothing can have been credited.</source>
        <translation>供应商拒收了所有商品，因此不可能有贷记。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="785"/>
        <source>The supplier report as a PDF needs a file name: give it with --out.</source>
        <translation>PDF 格式的供应商报告需要文件名：请用 --out 指定。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="786"/>
        <source>The supplier&apos;s RMA number</source>
        <translation>供应商的 RMA 号</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="787"/>
        <source>The target of stage {stage} must be a whole number of hours from 1 to {value}, not {hours!r}.</source>
        <translation>阶段 {stage} 的目标必须是 1 到 {value} 之间的整数小时，不能是 {hours!r}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="788"/>
        <source>The target of stage {value} must be a whole number of hours, 1 or more.</source>
        <translation>阶段 {value} 的目标必须是整数小时，至少为 1。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="789"/>
        <source>The tax ({tax_total}) cannot be more than the amount paid ({paid_total}).</source>
        <translation>税额（{tax_total}）不能超过实付金额（{paid_total}）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="790"/>
        <source>The text</source>
        <translation>文字</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="791"/>
        <source>The two passwords differ; nothing was changed. Try again.</source>
        <translation>两次输入的密码不一致；未做任何更改。请重试。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="792"/>
        <source>The unit number must be 1 or more, not {unit_number!r}.</source>
        <translation>件号必须为 1 或以上，不能是 {unit_number!r}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="793"/>
        <source>The user name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="794"/>
        <source>The user was not created: {problems}</source>
        <translation>用户未创建：{problems}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="795"/>
        <source>The user {user} may not connect to the database {database}: only the ReturnDesk server&apos;s login and the database&apos;s owner may. Stations connect to the ReturnDesk server instead.</source>
        <translation>用户 {user} 无权连接数据库 {database}：只有 ReturnDesk 服务器的登录账号和数据库所有者可以连接。工位应连接 ReturnDesk 服务器。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="796"/>
        <source>The webhook was not added: {problems}</source>
        <translation>Webhook 未添加：{problems}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="797"/>
        <source>The {kind} were refused: 1 problem found, so nothing was saved. Correct the items listed and send them again.</source>
        <translation>{kind}被拒收：发现 1 个问题，因此未保存任何内容。请更正所列条目后重新发送。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="798"/>
        <source>The {kind} were refused: {count} problems found, so nothing was saved. Correct the items listed and send them again.</source>
        <translation>{kind}被拒收：发现 {count} 个问题，因此未保存任何内容。请更正所列条目后重新发送。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="799"/>
        <source>The {label} name is {text_count} characters long; keep it to {name_limit}.</source>
        <translation>{label}名称有 {text_count} 个字符；请控制在 {name_limit} 个以内。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="800"/>
        <source>The {label} name of the reason is empty; write it.</source>
        <translation>原因的{label}名称为空；请填写。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="801"/>
        <source>The {parcel_labels} is {text_count} characters long; keep it to {limit}.</source>
        <translation>{parcel_labels}有 {text_count} 个字符；请控制在 {limit} 个以内。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="802"/>
        <source>The {what} &apos;{code}&apos; cannot be printed as a barcode: use letters, digits and punctuation only (no spaces, no Chinese characters).</source>
        <translation>{what}“{code}”无法打印为条码：只能使用字母、数字和标点（不能有空格或汉字）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="803"/>
        <source>The {what} &apos;{code}&apos; is {code_count} characters long; at most {max_item_code_length} fit a label.</source>
        <translation>{what}“{code}”有 {code_count} 个字符；标签上最多容纳 {max_item_code_length} 个。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="804"/>
        <source>The {what} &apos;{data}&apos; needs {width:.1f} mm at its smallest bar width ({minimum:.2f} mm) but only {available:.1f} mm are available. Print it on a wider label or shorten the code.</source>
        <translation>{what}“{data}”在最小条宽（{minimum:.2f} 毫米）下需要 {width:.1f} 毫米，但只有 {available:.1f} 毫米可用。请打印在更宽的标签上或缩短代码。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="805"/>
        <source>The {what} cannot be negative ({amount}).</source>
        <translation>{what}不能为负数（{amount}）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="806"/>
        <source>The {what} cannot be negative ({value}).</source>
        <translation>{what}不能为负数（{value}）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="807"/>
        <source>The {what} contains a NUL character that no one types; type or scan it again.</source>
        <translation>{what}中含有无法输入的 NUL 字符；请重新输入或扫描。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="808"/>
        <source>The {what} is empty.</source>
        <translation>{what}为空。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="809"/>
        <source>The {what} is {cleaned_count} characters long; keep it to {max_text_length}.</source>
        <translation>{what}有 {cleaned_count} 个字符；请控制在 {max_text_length} 个以内。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="810"/>
        <source>The {what} is {stripped_count} characters long; keep it to {limit}.</source>
        <translation>{what}有 {stripped_count} 个字符；请控制在 {limit} 个以内。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="811"/>
        <source>The {what} is {text_count} characters long; keep it to {max_text}.</source>
        <translation>{what}有 {text_count} 个字符；请控制在 {max_text} 个以内。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="812"/>
        <source>The {what} must be an amount, not {value!r}.</source>
        <translation>{what}必须是金额，不能是 {value!r}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="813"/>
        <source>The {what} must be an integer amount of minor units (cents), not {amount!r}.</source>
        <translation>{what}必须是以最小货币单位（分）计的整数金额，不能是 {amount!r}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="814"/>
        <source>The {what} needs the RMA number in its canonical form ({rma}), not &apos;{rma2}&apos;.</source>
        <translation>{what}需要规范格式的退货单号（{rma}），不能是“{rma2}”。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="815"/>
        <source>The {what} of {value} is more than a drawer holds; check the amount.</source>
        <translation>{what} {value} 超过了钱箱的容量；请核对金额。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="816"/>
        <source>The {words} is given per language with {value}; use {languages}.</source>
        <translation>{words}按语言分别给出了 {value}；请使用 {languages}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="817"/>
        <source>The {words}{where} cannot be empty.</source>
        <translation>{words}{where}不能为空。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="818"/>
        <source>The {words}{where} is longer than {max_line} characters.</source>
        <translation>{words}{where}超过 {max_line} 个字符。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="819"/>
        <source>The {words}{where} is too long: at most {max_lines} lines of {max_line} characters.</source>
        <translation>{words}{where}太长：最多 {max_lines} 行，每行 {max_line} 个字符。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="820"/>
        <source>The {words}{where} must be a list of printed lines.</source>
        <translation>{words}{where}必须是要打印的文本行列表。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="821"/>
        <source>The {words}{where} must be text.</source>
        <translation>{words}{where}必须是文本。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="822"/>
        <source>There is no API key named {name}.</source>
        <translation>没有名为 {name} 的 API 密钥。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="823"/>
        <source>There is no cash shift {shift_no}. Check the number.</source>
        <translation>没有现金班次 {shift_no}。请检查编号。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="824"/>
        <source>There is no claim {number}.</source>
        <translation>没有退供单 {number}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="825"/>
        <source>There is no claim {number}; scan or type the claim number printed on the packing list.</source>
        <translation>没有退供单 {number}；请扫描或输入装箱单上印的退供单号。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="826"/>
        <source>There is no credit note {text}. Give its number (CN-2026-000001) or the return&apos;s RMA.</source>
        <translation>没有贷项通知单 {text}。请提供其编号（CN-2026-000001）或退货单号。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="827"/>
        <source>There is no customer #{customer_id}.</source>
        <translation>没有顾客 #{customer_id}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="828"/>
        <source>There is no customer with id {customer_id}.</source>
        <translation>没有 ID 为 {customer_id} 的顾客。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="829"/>
        <source>There is no import profile &apos;{name}&apos; for {kind}.</source>
        <translation>没有{kind}的导入方案“{name}”。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="830"/>
        <source>There is no import profile &apos;{profile}&apos; for {kind}; {known}.</source>
        <translation>没有{kind}的导入方案“{profile}”；{known}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="831"/>
        <source>There is no inspected unit #{unit_id}; it may have been undone. Reload the return.</source>
        <translation>没有已质检商品 #{unit_id}；可能已被撤销。请重新载入退货单。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="832"/>
        <source>There is no master data &apos;{kind}&apos;; use {master_kinds}.</source>
        <translation>没有主数据“{kind}”；请使用 {master_kinds}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="833"/>
        <source>There is no open question on this return; nothing needs an answer.</source>
        <translation>此退货单没有待回答的问题；无需答复。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="834"/>
        <source>There is no order {order_no}.</source>
        <translation>没有订单 {order_no}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="835"/>
        <source>There is no parcel #{parcel_id}; reload the list of parcels without RMA.</source>
        <translation>没有包裹 #{parcel_id}；请重新载入无退货单包裹列表。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="836"/>
        <source>There is no policy draft to discard.</source>
        <translation>没有可放弃的政策草稿。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="837"/>
        <source>There is no policy draft to publish.</source>
        <translation>没有可发布的政策草稿。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="838"/>
        <source>There is no policy draft; start one from the version in force.</source>
        <translation>没有政策草稿；请从当前生效的版本开始新建一个。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="839"/>
        <source>There is no policy version {version}.</source>
        <translation>没有政策版本 {version}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="840"/>
        <source>There is no printer &apos;{queue}&apos; on this computer. Choose an existing printer in the station&apos;s printer settings (or add it in CUPS).</source>
        <translation>本机没有打印机“{queue}”。请在本工位的打印机设置中选择现有的打印机（或在 CUPS 中添加）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="841"/>
        <source>There is no return reason &apos;{code}&apos;.</source>
        <translation>没有退货原因“{code}”。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="842"/>
        <source>There is no return {rma}; scan the RMA barcode of the unit&apos;s item tag.</source>
        <translation>没有退货单 {rma}；请扫描商品标签上的退货单条码。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="843"/>
        <source>There is no supplier {code}.</source>
        <translation>没有供应商 {code}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="844"/>
        <source>There is no unit {what}; scan the item tag of the unit.</source>
        <translation>没有商品 {what}；请扫描该商品的单品标签。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="845"/>
        <source>There is no user named {username}.</source>
        <translation>没有名为 {username} 的用户。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="846"/>
        <source>There is no webhook named {name}.</source>
        <translation>没有名为 {name} 的 Webhook。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="847"/>
        <source>There is no {kind} {key}.</source>
        <translation>没有{kind} {key}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="848"/>
        <source>These logins of earlier versions can no longer reach this database and may be dropped: {logins} (DROP ROLE name; as the postgres superuser).</source>
        <translation>以下旧版本的登录名已无法访问此数据库，可以删除：{logins}（以 postgres 超级用户执行 DROP ROLE name;）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="849"/>
        <source>This badge belongs to {other} already; each badge is one person&apos;s.</source>
        <translation>该工牌已属于 {other}；每个工牌只能属于一个人。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="850"/>
        <source>This badge is not known. Scan it again, or type the user name and password.</source>
        <translation>无法识别该工牌。请重新扫描，或输入用户名和密码。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="851"/>
        <source>This call needs an API key: Authorization: Bearer rdk_…</source>
        <translation>此调用需要 API 密钥：Authorization: Bearer rdk_…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="852"/>
        <source>This computer has no station name, and a cash shift belongs to a counter station. Name the station in File ▸ Station settings first.</source>
        <translation>本机没有工位名称，而现金班次属于柜台工位。请先在“文件 ▸ 工位设置”中为工位命名。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="853"/>
        <source>This database has users already; demo data is only written to a new, empty database.</source>
        <translation>此数据库已有用户；演示数据只写入新的空数据库。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="854"/>
        <source>This database has users already; sign in, or ask an administrator to add you.</source>
        <translation>此数据库已有用户；请登录，或请管理员为您添加账号。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="855"/>
        <source>This database is at schema revision {current}, which this version of ReturnDesk does not know: it was upgraded by a newer ReturnDesk. Install that version (or newer) on this station.</source>
        <translation>此数据库的结构版本为 {current}，本版本的 ReturnDesk 不认识它：它已被更新版本的 ReturnDesk 升级。请在本工位安装该版本（或更新的版本）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="856"/>
        <source>This file is not text; give a file name to write it to.</source>
        <translation>此文件不是文本；请指定要写入的文件名。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="857"/>
        <source>This idempotency key was used for a different request; use a new key.</source>
        <translation>此幂等键已用于另一个请求；请使用新键。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="858"/>
        <source>This is a shipping container code (SSCC {sscc}), not a product or an RMA label. Scan the RMA label or the item&apos;s own barcode.</source>
        <translation>这是物流箱码（SSCC {sscc}），不是商品条码，也不是退货标签。请扫描退货标签或商品本身的条码。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="859"/>
        <source>This login may not create or change the server&apos;s login: run &apos;returndesk db init&apos; with the owner of the database given the CREATEROLE right (or as the postgres superuser). The schema is upgraded; the login was not changed.</source>
        <translation>当前登录账号不能创建或修改服务器的登录账号：请让具有 CREATEROLE 权限的数据库所有者（或 postgres 超级用户）运行“returndesk db init”。数据库结构已升级；登录账号未更改。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="860"/>
        <source>This product is marked as not returnable; it cannot be returned.</source>
        <translation>此商品被标记为不可退货；无法退货。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="861"/>
        <source>This refund needs {level_who}&apos;s approval; {a} cannot approve it.</source>
        <translation>此退款需要{level_who}审批；{a}无权审批。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="862"/>
        <source>This return</source>
        <translation>此退货单</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="863"/>
        <source>This station has no network route to {host}. Check the network cable or Wi-Fi and the address.</source>
        <translation>本工位没有到 {host} 的网络路由。请检查网线或 Wi-Fi 以及地址。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="864"/>
        <source>Through the server the days are those of your site (no --timezone).</source>
        <translation>通过服务器时，日期按您所在门店计算（不使用 --timezone）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="865"/>
        <source>Type or scan a barcode, SKU or a part of the product&apos;s name.</source>
        <translation>请输入或扫描条码、SKU 或商品名称的一部分。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="866"/>
        <source>Type or scan an RMA number, an order number or the customer&apos;s phone number.</source>
        <translation>请输入或扫描退货单号、订单号或顾客电话号码。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="867"/>
        <source>Type the supervisor&apos;s user name and password, or scan their badge.</source>
        <translation>请输入主管的用户名和密码，或扫描其工牌。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="868"/>
        <source>USER</source>
        <translation>用户</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="869"/>
        <source>UTF-8 (detected; it also reads as GB18030, &apos;{original}&apos; as &apos;{other}&apos;: if that is right, give --encoding gb18030)</source>
        <translation>UTF-8（自动识别；它也可按 GB18030 读取，“{original}”会读作“{other}”：如果后者正确，请指定 --encoding gb18030）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="870"/>
        <source>UTF-8 with byte-order mark</source>
        <translation>带字节顺序标记的 UTF-8</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="871"/>
        <source>UTF-8 with byte-order mark; the mark overrides --encoding {encoding}</source>
        <translation>带字节顺序标记的 UTF-8；该标记优先于 --encoding {encoding}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="872"/>
        <source>Undone: unit {number} ({name}, {outcome}) removed from line {line_no}.</source>
        <translation>已撤销：第 {number} 件（{name}，{outcome}）已从第 {line_no} 行移除。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="873"/>
        <source>Undone: unit {number} ({name}, {outcome}) removed from the return.</source>
        <translation>已撤销：第 {number} 件（{name}，{outcome}）已从该退货单移除。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="874"/>
        <source>Unit #{unit_id} of {rma} has no disposition yet, so its tag has nothing to say.</source>
        <translation>{rma} 的商品 #{unit_id} 尚无处置方式，因此其标签上没有内容可印。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="875"/>
        <source>Unit changed: {name} — grade {grade}</source>
        <translation>商品已修改：{name} — 等级 {grade}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="876"/>
        <source>Unit {n} does not exist on a line of {quantity} units.</source>
        <translation>共 {quantity} 件的行上没有第 {n} 件。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="877"/>
        <source>Unit {rma_no}/{unit_id} is on claim {claim_no} to its supplier; take it off the claim on the claims screen first, then {doing}.</source>
        <translation>商品 {rma_no}/{unit_id} 已在退供单 {claim_no} 上；请先在退供单界面把它撤下，然后再{doing}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="878"/>
        <source>Unit {unit_index} does not exist on a line of {purchased_qty} units.</source>
        <translation>共 {purchased_qty} 件的行上没有第 {unit_index} 件。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="879"/>
        <source>Unit {unit_number} cannot be one of only {unit_count} units.</source>
        <translation>第 {unit_number} 件超出了总数 {unit_count} 件。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="880"/>
        <source>Units {first_unit} to {first_unit2} do not exist on a line of {purchased_qty} units.</source>
        <translation>共 {purchased_qty} 件的行上没有第 {first_unit} 到 {first_unit2} 件。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="881"/>
        <source>Unknown scopes: {s}; use {scopes}.</source>
        <translation>未知的权限范围：{s}；请使用 {scopes}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="882"/>
        <source>Unlock an account that was locked after repeated failed sign-ins.</source>
        <translation>解锁因多次登录失败而被锁定的账户。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="883"/>
        <source>User names are 1-40 letters, digits, dots, dashes or underscores.</source>
        <translation>用户名为 1-40 个字母、数字、点、短横线或下划线。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="884"/>
        <source>User {username} ({display_name}) added as {role}, approval limit {limit}.</source>
        <translation>已添加用户 {username}（{display_name}），角色 {role}，审批额度 {limit}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="885"/>
        <source>User {username} is now {role}, approval limit {limit}, {state}; this counts from the user&apos;s next action.</source>
        <translation>用户 {username} 现为 {role}，审批额度 {limit}，{state}；从该用户的下一次操作起生效。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="886"/>
        <source>User {username} is unlocked and can sign in again.</source>
        <translation>用户 {username} 已解锁，可以重新登录。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="887"/>
        <source>VAT output tax payable</source>
        <translation>应交增值税（销项税额）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="888"/>
        <source>Waiting for {level} approval.</source>
        <translation>等待{level}审批。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="889"/>
        <source>Walk the whole audit trail and check that every event still carries the hash of its content and of the event before it. Exit status 0 when intact; 1 naming the first broken link when an event was changed or removed.</source>
        <translation>遍历整个审计记录，检查每个事件是否仍带有其内容和前一事件的哈希值。完好时退出状态为 0；有事件被修改或删除时为 1，并指出第一个断开的环节。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="890"/>
        <source>Which {titles}? Give the RMA number.</source>
        <translation>哪一张{titles}？请提供退货单号。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="891"/>
        <source>Within the policy and the automatic approval limit; approved by the system.</source>
        <translation>符合退货政策且未超过自动审批限额；由系统批准。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="892"/>
        <source>Work with the audit trail.</source>
        <translation>处理审计记录。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="893"/>
        <source>Write down at least one thing that identifies the parcel: the tracking number, the sender, an order number or what is inside.</source>
        <translation>请至少记下一项能识别包裹的信息：运单号、寄件人、订单号或包裹内容。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="894"/>
        <source>Write the reason for {what} (at least {min_reason_length} characters); it is kept with the return and shown to the customer service team.</source>
        <translation>请填写{what}的原因（至少 {min_reason_length} 个字符）；它会随退货单保存，并展示给客服团队。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="895"/>
        <source>Write the {what} (at least {min_text_length} characters); the customer reads it on the status page.</source>
        <translation>请填写{what}（至少 {min_text_length} 个字符）；顾客会在状态页上看到。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="896"/>
        <source>Write why (at least {min_note} characters) before changing the watch flag.</source>
        <translation>更改关注标记前请填写原因（至少 {min_note} 个字符）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="897"/>
        <source>Write why the parcel goes back and how it is sent (at least 5 characters).</source>
        <translation>请填写包裹退回的原因和寄送方式（至少 5 个字符）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="898"/>
        <source>Write why the rejection was a mistake (at least {min_reopen_reason} characters); it is kept with the return.</source>
        <translation>请填写拒绝有误的原因（至少 {min_reopen_reason} 个字符）；它会随退货单保存。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="899"/>
        <source>Write why the replacement is cancelled (at least 5 characters); finance needs it to settle the customer&apos;s credit.</source>
        <translation>请填写取消换货商品的原因（至少 5 个字符）；财务需要据此结清顾客的款项。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="900"/>
        <source>Write why the request is declined (at least {min_text_length} characters); the customer is told.</source>
        <translation>请填写拒绝申请的原因（至少 {min_text_length} 个字符）；会告知顾客。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="901"/>
        <source>Write why the return is cancelled; the reason is kept with the return.</source>
        <translation>请写明取消此退货的原因；原因会随退货单保存。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="902"/>
        <source>Write why the return is rejected; the reason is kept with the return.</source>
        <translation>请写明驳回此退货的原因；原因会随退货单保存。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="903"/>
        <source>Write-off of scrapped goods</source>
        <translation>报废商品核销</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="904"/>
        <source>Wrong item: {name} (not in the catalogue) is not on {rma_no}; recorded as a wrong item, {where}.</source>
        <translation>错发商品：{name}（不在商品目录中）不在 {rma_no} 上；已登记为错发商品，{where}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="905"/>
        <source>Wrong item: {name} is not on {rma_no}; recorded as a wrong item, {where}.</source>
        <translation>错发商品：{name} 不在 {rma_no} 上；已登记为错发商品，{where}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="906"/>
        <source>Wrong user name or password for the sign-off. Check both and try again.</source>
        <translation>授权的用户名或密码错误。请核对两者后重试。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="907"/>
        <source>Wrong user name or password. Check both and try again.</source>
        <translation>用户名或密码错误。请核对两者后重试。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="908"/>
        <source>Wrong user name or password. {left} attempts left before the account is locked.</source>
        <translation>用户名或密码错误。再错 {left} 次账户将被锁定。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="909"/>
        <source>Wrote the A4 report of {start} .. {end} to {out}.</source>
        <translation>已将 {start} .. {end} 的 A4 报表写入 {out}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="910"/>
        <source>Wrote the report of cash shift {shift_no} to {output}.</source>
        <translation>已将收银班次 {shift_no} 的报表写入 {output}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="911"/>
        <source>Wrote the supplier report of {start} .. {end} to {where}.</source>
        <translation>已将 {start} .. {end} 的供应商报表写入 {where}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="912"/>
        <source>Wrote the {what} report ({rows}, {start} .. {end}) to {where}.</source>
        <translation>已将 {what} 报表（{rows}，{start} .. {end}）写入 {where}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="913"/>
        <source>You cannot disable your own account; ask another administrator.</source>
        <translation>您不能停用自己的账户；请找另一位管理员。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="914"/>
        <source>You cannot sign off your own return; a second person, a supervisor, must sign off.</source>
        <translation>您不能为自己的退货单授权；必须由另一人（主管）授权。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="915"/>
        <source>You cannot take the administrator role from yourself; ask another administrator.</source>
        <translation>您不能取消自己的管理员角色；请找另一位管理员。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="916"/>
        <source>You created this return, so you cannot approve its refund; someone else must approve it.</source>
        <translation>此退货单由您创建，您不能审批其退款；必须由其他人审批。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="917"/>
        <source>You inspected this return, so you cannot approve its refund; someone else must approve it.</source>
        <translation>此退货单由您质检，您不能审批其退款；必须由其他人审批。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="918"/>
        <source>Your session has ended. Sign in again.</source>
        <translation>您的会话已结束。请重新登录。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="919"/>
        <source>Your session has ended: it was closed by an administrator or by signing out. Sign in again.</source>
        <translation>您的会话已结束：已被管理员关闭或已退出登录。请重新登录。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="920"/>
        <source>ZPL is drawn for 203 or 300 dots per inch, not {value}; choose one of them.</source>
        <translation>ZPL 按每英寸 203 或 300 点绘制，不支持 {value}；请选择其中之一。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="921"/>
        <source>Zebra printers print at 203 or 300 dpi, not {dpi}.</source>
        <translation>斑马打印机的分辨率为 203 或 300 dpi，不支持 {dpi}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="922"/>
        <source>a PostgreSQL read replica of the database to read the figures on</source>
        <translation>用于读取数据的 PostgreSQL 只读副本</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="923"/>
        <source>a PostgreSQL read replica of the database: the analytics read there, so dashboards never slow the stations (default: $RETURNDESK_READ_URL)</source>
        <translation>数据库的 PostgreSQL 只读副本：分析从这里读取，看板不会拖慢工位（默认：$RETURNDESK_READ_URL）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="924"/>
        <source>a clerk</source>
        <translation>店员</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="925"/>
        <source>a manager</source>
        <translation>经理</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="926"/>
        <source>a manager with a higher limit</source>
        <translation>限额更高的经理</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="927"/>
        <source>a part of the path is not a folder</source>
        <translation>路径中有一部分不是文件夹</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="928"/>
        <source>a serial number is listed twice</source>
        <translation>同一序列号列出了两次</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="929"/>
        <source>a serial number is longer than 80 characters or contains a comma</source>
        <translation>序列号超过 80 个字符或包含逗号</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="930"/>
        <source>a shift with each cash refund; -o writes the PDF</source>
        <translation>班次及其每笔现金退款；-o 写入 PDF</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="931"/>
        <source>a supervisor</source>
        <translation>主管</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="932"/>
        <source>a {channel} order needs a customer (code or name)</source>
        <translation>{channel} 订单需要顾客（编码或姓名）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="933"/>
        <source>accessories are missing</source>
        <translation>配件不全</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="934"/>
        <source>accessories complete</source>
        <translation>配件齐全</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="935"/>
        <source>active</source>
        <translation>启用</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="936"/>
        <source>add a user</source>
        <translation>添加用户</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="937"/>
        <source>add users, reset passwords, unlock accounts</source>
        <translation>添加用户、重设密码、解锁账户</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="938"/>
        <source>address and port to listen on (default 127.0.0.1:8443)</source>
        <translation>监听的地址和端口（默认 127.0.0.1:8443）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="939"/>
        <source>address: where returns to the vendor are sent; rtv_terms: credit_at_cost | cost_minus_fee |
  replacement; handling_fee (per unit, for cost_minus_fee), min_claim: 50.00 (no claim below)</source>
        <translation>address：退供商品的寄送地址；rtv_terms：credit_at_cost | cost_minus_fee |
  replacement；handling_fee（每件，用于 cost_minus_fee），min_claim：50.00（低于此金额不退供）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="940"/>
        <source>admin policy</source>
        <translation>管理退货政策</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="941"/>
        <source>admin users</source>
        <translation>管理用户</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="942"/>
        <source>after the import, save the columns as profile NAME</source>
        <translation>导入后，将列对应保存为方案 NAME</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="943"/>
        <source>an unknown time</source>
        <translation>未知时间</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="944"/>
        <source>analytics: reasons, return rates, cycle times, money, risk</source>
        <translation>分析：退货原因、退货率、周期时长、金额、风险</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="945"/>
        <source>another administrator</source>
        <translation>另一位管理员</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="946"/>
        <source>another program is using it</source>
        <translation>另一个程序正在使用它</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="947"/>
        <source>another server process on the same database (repeat); with --server the stations are dealt over all of them in turn</source>
        <translation>同一数据库上的另一个服务器进程（可重复）；与 --server 一起使用时，工位轮流分配到所有服务器</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="948"/>
        <source>another user</source>
        <translation>另一位用户</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="949"/>
        <source>answer</source>
        <translation>回复</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="950"/>
        <source>answered before it was shipped, or twice</source>
        <translation>在发货前答复或重复答复</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="951"/>
        <source>approval limit in yuan, e.g. 500</source>
        <translation>审批额度（元），如 500</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="952"/>
        <source>approval limit in yuan, e.g. 500 or 2000.00 (default 0: approves nothing alone)</source>
        <translation>审批额度（元），如 500 或 2000.00（默认 0：不能单独批准任何退款）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="953"/>
        <source>approve</source>
        <translation>批准</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="954"/>
        <source>approve refund</source>
        <translation>审批退款</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="955"/>
        <source>ask the customer</source>
        <translation>询问顾客</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="956"/>
        <source>authorised</source>
        <translation>授权</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="957"/>
        <source>authorize</source>
        <translation>授权</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="958"/>
        <source>authorize return</source>
        <translation>授权退货</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="959"/>
        <source>auto approve</source>
        <translation>自动批准</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="960"/>
        <source>back to available stock</source>
        <translation>放回可售库存</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="961"/>
        <source>back to the customer</source>
        <translation>退还顾客</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="962"/>
        <source>barcode</source>
        <translation>条码</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="963"/>
        <source>by {who} on {when}</source>
        <translation>{who}于 {when}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="964"/>
        <source>cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="965"/>
        <source>cancel return</source>
        <translation>取消退货</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="966"/>
        <source>cancelled</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="967"/>
        <source>cash counted in the drawer, e.g. 318.50</source>
        <translation>钱箱中实点的现金，如 318.50</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="968"/>
        <source>cash in the drawer at the start, e.g. 500 or 500.00</source>
        <translation>开班时钱箱中的现金，如 500 或 500.00</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="969"/>
        <source>categories</source>
        <translation>品类</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="970"/>
        <source>category</source>
        <translation>品类</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="971"/>
        <source>change a unit</source>
        <translation>修改商品</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="972"/>
        <source>change a user&apos;s role or limit, disable or enable</source>
        <translation>修改用户的角色或额度，停用或启用</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="973"/>
        <source>change it</source>
        <translation>修改</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="974"/>
        <source>channel &apos;{channel}&apos; is not one of {channels}</source>
        <translation>渠道“{channel}”不是以下之一：{channels}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="975"/>
        <source>channel is missing</source>
        <translation>缺少渠道（channel）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="976"/>
        <source>check that money and stock add up</source>
        <translation>检查金额和库存是否对得上</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="977"/>
        <source>check the encoding the file was saved in</source>
        <translation>请核对文件保存时使用的编码</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="978"/>
        <source>check the file and show the columns; import nothing</source>
        <translation>检查文件并显示列对应；不导入任何内容</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="979"/>
        <source>claim barcode</source>
        <translation>退供单条码</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="980"/>
        <source>claim {claim_no}</source>
        <translation>退供单 {claim_no}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="981"/>
        <source>close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="982"/>
        <source>close a line short</source>
        <translation>短收结行</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="983"/>
        <source>close the station&apos;s shift with the cash counted</source>
        <translation>用实点现金为工位交班</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="984"/>
        <source>code</source>
        <translation>编码</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="985"/>
        <source>command barcode</source>
        <translation>指令条码</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="986"/>
        <source>complete inspection</source>
        <translation>完成质检</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="987"/>
        <source>condition note of line {line_no}</source>
        <translation>第 {line_no} 行的状况备注</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="988"/>
        <source>contains the control character U+{code}</source>
        <translation>含有控制字符 U+{code}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="989"/>
        <source>counted amount</source>
        <translation>点钞金额</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="990"/>
        <source>counted {counted}, difference {difference}</source>
        <translation>实点 {counted}，差额 {difference}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="991"/>
        <source>counter cash shifts: open, status, close, report, list</source>
        <translation>柜台收银班次：开班、状态、交班、报表、列表</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="992"/>
        <source>create a site or change its time zone</source>
        <translation>创建站点或修改其时区</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="993"/>
        <source>create return</source>
        <translation>受理退货</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="994"/>
        <source>create the tables or bring them to this version</source>
        <translation>创建表或将其升级到此版本</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="995"/>
        <source>create, upgrade and inspect the database</source>
        <translation>创建、升级和查看数据库</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="996"/>
        <source>csv, xlsx or json (default: from the file name)</source>
        <translation>csv、xlsx 或 json（默认：按文件名判断）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="997"/>
        <source>csv, xlsx or json, pdf for the supplier report (default: from --out)</source>
        <translation>csv、xlsx 或 json，供应商报表还可用 pdf（默认：按 --out 判断）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="998"/>
        <source>currency &apos;{currency}&apos; is not a three-letter code such as CNY</source>
        <translation>货币“{currency}”不是 CNY 这样的三字母代码</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="999"/>
        <source>customer</source>
        <translation>顾客</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1000"/>
        <source>customer is not an object</source>
        <translation>customer 不是对象</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1001"/>
        <source>customer_code &apos;{customer_code}&apos; is new and customer_name is missing</source>
        <translation>customer_code “{customer_code}”是新顾客，但缺少 customer_name</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1002"/>
        <source>customer_name is missing (a new customer needs a name)</source>
        <translation>缺少 customer_name（新顾客需要姓名）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1003"/>
        <source>customer_phone &apos;{phone}&apos; is not a phone number</source>
        <translation>customer_phone“{phone}”不是电话号码</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1004"/>
        <source>customers</source>
        <translation>顾客</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1005"/>
        <source>database address: sqlite:///path/file.sqlite3 or postgresql://user:password@host:5432/name (default: $RETURNDESK_DB_URL, else the local database file of this user)</source>
        <translation>数据库地址：sqlite:///path/file.sqlite3 或 postgresql://user:password@host:5432/name（默认：$RETURNDESK_DB_URL，否则为当前用户的本地数据库文件）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1006"/>
        <source>db init sets up a shared PostgreSQL server; a local SQLite database needs only &apos;returndesk db upgrade&apos;.</source>
        <translation>db init 用于设置共享的 PostgreSQL 服务器；本地 SQLite 数据库只需运行“returndesk db upgrade”。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1007"/>
        <source>delete the profile NAME of KIND</source>
        <translation>删除 KIND 的方案 NAME</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1008"/>
        <source>delivered_at is before sold_at</source>
        <translation>delivered_at 早于 sold_at</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1009"/>
        <source>delivered_at {delivered_at:%Y-%m-%d %H:%M} is in the future at site {site} ({site_zone})</source>
        <translation>delivered_at {delivered_at:%Y-%m-%d %H:%M} 在站点 {site}（{site_zone}）是未来时间</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1010"/>
        <source>delivered_at {text} is before sold_at {text2}</source>
        <translation>delivered_at {text} 早于 sold_at {text2}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1011"/>
        <source>description of the contents</source>
        <translation>内容物描述</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1012"/>
        <source>disabled</source>
        <translation>已停用</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1013"/>
        <source>discount {discount} is more than unit_price × quantity ({gross})</source>
        <translation>折扣 {discount} 超过单价 × 数量（{gross}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1014"/>
        <source>duplicate</source>
        <translation>重复</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1015"/>
        <source>email &apos;{value}&apos; is not an e-mail address</source>
        <translation>email“{value}”不是电子邮件地址</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1016"/>
        <source>end a user&apos;s sessions, or everyone&apos;s with --all</source>
        <translation>结束某用户的会话，或用 --all 结束所有人的会话</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1017"/>
        <source>end every open session</source>
        <translation>结束所有会话</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1018"/>
        <source>example:
  returndesk screenshots --out build/screenshots --lang zh_CN</source>
        <translation>示例：
  returndesk screenshots --out build/screenshots --lang zh_CN</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1019"/>
        <source>example:
  returndesk site set SH01 --time-zone Asia/Shanghai --name &quot;上海南京路店&quot;</source>
        <translation>示例：
  returndesk site set SH01 --time-zone Asia/Shanghai --name &quot;上海南京路店&quot;</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1020"/>
        <source>example:
  returndesk station company &apos;*&apos; --file our-company.json
  returndesk station company COUNTER-BJ02 --file beijing-store.json
fields: {fields}</source>
        <translation>示例：
  returndesk station company &apos;*&apos; --file our-company.json
  returndesk station company COUNTER-BJ02 --file beijing-store.json
字段：{fields}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1021"/>
        <source>examples:
  returndesk --user li shift open --station COUNTER-1 --float 500
  returndesk --user li shift close --station COUNTER-1 --counted 318.50 --note &quot;coin miscounted&quot;
  returndesk --user fang shift report CS-2026-000012 -o shift-12.pdf
  returndesk --server https://returns.example.lan:8443 --user fang shift list \
      --from 2026-11-01 --to 2026-11-30</source>
        <translation>示例：
  returndesk --user li shift open --station COUNTER-1 --float 500
  returndesk --user li shift close --station COUNTER-1 --counted 318.50 --note &quot;硬币点错&quot;
  returndesk --user fang shift report CS-2026-000012 -o shift-12.pdf
  returndesk --server https://returns.example.lan:8443 --user fang shift list \
      --from 2026-11-01 --to 2026-11-30</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1022"/>
        <source>examples:
  returndesk export refunds --from 2026-11-01 --to 2026-11-30 --format xlsx -o refunds-nov.xlsx
  returndesk export journal --from 2026-11-01 --to 2026-11-30 --format csv -o journal.csv
  returndesk export returns --from 2026-01-01 --to 2026-12-31 -o returns-2026.json
  returndesk export red-letter --from 2026-11-01 --to 2026-11-30 -o red-letter-nov.xlsx
  returndesk export products products.xlsx   (importing it again changes nothing)
  returndesk --server https://returns.example.lan:8443 --user fang export refunds \
      --from 2026-11-01 --to 2026-11-30 -o refunds-nov.xlsx</source>
        <translation>示例：
  returndesk export refunds --from 2026-11-01 --to 2026-11-30 --format xlsx -o refunds-nov.xlsx
  returndesk export journal --from 2026-11-01 --to 2026-11-30 --format csv -o journal.csv
  returndesk export returns --from 2026-01-01 --to 2026-12-31 -o returns-2026.json
  returndesk export red-letter --from 2026-11-01 --to 2026-11-30 -o red-letter-nov.xlsx
  returndesk export products products.xlsx   （再次导入不会有任何变化）
  returndesk --server https://returns.example.lan:8443 --user fang export refunds \
      --from 2026-11-01 --to 2026-11-30 -o refunds-nov.xlsx</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1023"/>
        <source>examples:
  returndesk print label R0000012340 --printer Zebra-Dock1
  returndesk print receipt R0000012340 --out receipt.pdf --lang zh_CN --width 58
  returndesk print tag R0000012340 --unit 2 --printer zpl-tcp:10.1.2.40:9100
  returndesk print credit-note CN-2026-000871 --out CN-2026-000871.pdf
  returndesk print command-sheet --out commands.pdf --lang zh_CN</source>
        <translation>示例：
  returndesk print label R0000012340 --printer Zebra-Dock1
  returndesk print receipt R0000012340 --out receipt.pdf --lang zh_CN --width 58
  returndesk print tag R0000012340 --unit 2 --printer zpl-tcp:10.1.2.40:9100
  returndesk print credit-note CN-2026-000871 --out CN-2026-000871.pdf
  returndesk print command-sheet --out commands.pdf --lang zh_CN</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1024"/>
        <source>examples:
  returndesk report reasons --from 2026-11-01 --to 2026-11-30 --site SH01 --format xlsx --out r.xlsx
  returndesk report rates --by category --from 2026-11-01 --to 2026-11-30 --format json
  returndesk report cycle-times --from 2026-11-01 --to 2026-11-30
  returndesk report monthly --from 2026-11-01 --to 2026-11-30 --lang zh_CN --out 2026-11.pdf
  returndesk report supplier --supplier SUP-HQE --from 2026-09-01 --to 2026-11-30 --lang zh_CN --out hqe.pdf</source>
        <translation>示例：
  returndesk report reasons --from 2026-11-01 --to 2026-11-30 --site SH01 --format xlsx --out r.xlsx
  returndesk report rates --by category --from 2026-11-01 --to 2026-11-30 --format json
  returndesk report cycle-times --from 2026-11-01 --to 2026-11-30
  returndesk report monthly --from 2026-11-01 --to 2026-11-30 --lang zh_CN --out 2026-11.pdf
  returndesk report supplier --supplier SUP-HQE --from 2026-09-01 --to 2026-11-30 --lang zh_CN --out hqe.pdf</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1025"/>
        <source>examples:
  returndesk station printers COUNTER-SH01
  returndesk station printers &apos;*&apos; --set credit-note=cups:Office-Laser
  returndesk station printers DOCK-WH1-1 --set tag=zpl-tcp:10.1.2.40 --zpl-dpi 203</source>
        <translation>示例：
  returndesk station printers COUNTER-SH01
  returndesk station printers &apos;*&apos; --set credit-note=cups:Office-Laser
  returndesk station printers DOCK-WH1-1 --set tag=zpl-tcp:10.1.2.40 --zpl-dpi 203</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1026"/>
        <source>exchange</source>
        <translation>换货</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1027"/>
        <source>expire</source>
        <translation>过期</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1028"/>
        <source>expire overdue returns and close settled ones</source>
        <translation>使逾期退货单过期并关闭已结清的退货单</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1029"/>
        <source>expire returns</source>
        <translation>使退货过期</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1030"/>
        <source>expired, so its return label is no longer valid</source>
        <translation>已过期，其退货标签不再有效</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1031"/>
        <source>export</source>
        <translation>导出</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1032"/>
        <source>export returns, refunds or journal lines, or the master data</source>
        <translation>导出退货单、退款或日记账行，或主数据</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1033"/>
        <source>factory seal intact</source>
        <translation>出厂封条完好</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1034"/>
        <source>fields to override</source>
        <translation>要覆盖的字段</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1035"/>
        <source>fields: {fields} (required column: {required})
  {notes}
Headers: the field names, or the exporting system&apos;s own (商品编码, 商品名称, 条码, 售价 ...):
  each header is matched to a field; --check shows the matching, --map fixes it, and
  --save-profile keeps it for --profile next time.
JSON: {json}

example:
  returndesk import {kind} erp-{kind}.xlsx --profile ERP</source>
        <translation>字段：{fields}（必填列：{required}）
  {notes}
表头：字段名，或导出系统自己的表头（商品编码、商品名称、条码、售价 ...）：
  每个表头会对应到一个字段；--check 显示对应关系，--map 修正，
  --save-profile 保存下来供下次 --profile 使用。
JSON：{json}

示例：
  returndesk import {kind} erp-{kind}.xlsx --profile ERP</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1036"/>
        <source>file format when the name does not end in .csv, .xlsx or .json</source>
        <translation>文件名不以 .csv、.xlsx 或 .json 结尾时的文件格式</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1037"/>
        <source>file to write (- for the screen, csv and json)</source>
        <translation>要写入的文件（- 表示输出到屏幕，限 csv 和 json）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1038"/>
        <source>file to write (default: the screen, csv or json)</source>
        <translation>要写入的文件（默认：屏幕，限 csv 或 json）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1039"/>
        <source>file to write (or -o FILE)</source>
        <translation>要写入的文件（或 -o FILE）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1040"/>
        <source>fill the database with realistic demo data</source>
        <translation>用逼真的演示数据填充数据库</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1041"/>
        <source>find sales</source>
        <translation>查找销售订单</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1042"/>
        <source>first day, e.g. 2026-11-01</source>
        <translation>第一天，如 2026-11-01</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1043"/>
        <source>float</source>
        <translation>备用金</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1044"/>
        <source>folder for the PNG files</source>
        <translation>PNG 文件的文件夹</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1045"/>
        <source>folder with server.crt and server.key (default: the data folder&apos;s server/)</source>
        <translation>存放 server.crt 和 server.key 的文件夹（默认：数据文件夹下的 server/）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1046"/>
        <source>give a supervisor the badge they sign off with</source>
        <translation>给主管发放授权用的工牌</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1047"/>
        <source>give an existing server login a new password</source>
        <translation>为已有的服务器登录名设置新密码</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1048"/>
        <source>handed over</source>
        <translation>交付</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1049"/>
        <source>has a new password</source>
        <translation>已设置新密码</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1050"/>
        <source>has an empty or non-text category {category}</source>
        <translation>含有空的或非文本的品类 {category}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1051"/>
        <source>has no factor for grade {grades}</source>
        <translation>缺少等级 {grades} 的系数</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1052"/>
        <source>has no lines</source>
        <translation>没有订单行</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1053"/>
        <source>has {cells} cells, the header has {columns}</source>
        <translation>有 {cells} 个单元格，表头只有 {columns} 列</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1054"/>
        <source>has {code}, which is not a condition code (lower case letters, digits, _)</source>
        <translation>含有 {code}，它不是条件代码（小写字母、数字、_）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1055"/>
        <source>has {key}, which is not a grade (A, B, C, D)</source>
        <translation>含有 {key}，它不是等级（A、B、C、D）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1056"/>
        <source>host name or IP address stations use (repeat; default localhost and 127.0.0.1)</source>
        <translation>工位使用的主机名或 IP 地址（可重复；默认 localhost 和 127.0.0.1）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1057"/>
        <source>how long the stations work</source>
        <translation>工位运行的时长</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1058"/>
        <source>how many returns go through the use cases one by one; the rest are written in bulk (default: all up to 300, else 300)</source>
        <translation>逐张经业务流程生成的退货单数量；其余批量写入（默认：300 张以内全部，否则 300 张）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1059"/>
        <source>import</source>
        <translation>导入</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1060"/>
        <source>import or update categories and their return windows</source>
        <translation>导入或更新类别及其退货期限</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1061"/>
        <source>import or update customers</source>
        <translation>导入或更新顾客</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1062"/>
        <source>import or update suppliers and their return-to-vendor terms</source>
        <translation>导入或更新供应商及其退供条款</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1063"/>
        <source>import or update the product catalogue</source>
        <translation>导入或更新商品目录</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1064"/>
        <source>import orders, products, customers, suppliers or categories</source>
        <translation>导入订单、商品、顾客、供应商或类别</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1065"/>
        <source>import sales orders (CSV, Excel .xlsx or JSON)</source>
        <translation>导入销售订单（CSV、Excel .xlsx 或 JSON）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1066"/>
        <source>inspect</source>
        <translation>质检</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1067"/>
        <source>is not a known setting</source>
        <translation>不是已知的设置</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1068"/>
        <source>is not an object</source>
        <translation>不是对象</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1069"/>
        <source>is not authorized yet: authorize it before printing its return label</source>
        <translation>尚未授权：请先授权再打印退货标签</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1070"/>
        <source>is still a draft: submit and authorize it before printing its return label</source>
        <translation>仍是草稿：请先提交并授权再打印退货标签</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1071"/>
        <source>issue cash refund</source>
        <translation>以现金退款</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1072"/>
        <source>issue refund</source>
        <translation>办理退款</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1073"/>
        <source>it does not work</source>
        <translation>无法正常使用</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1074"/>
        <source>it is a folder, not a file</source>
        <translation>它是文件夹，不是文件</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1075"/>
        <source>it reads as GB18030: leave out --encoding, or give --encoding gb18030</source>
        <translation>它按 GB18030 可以读取：去掉 --encoding，或使用 --encoding gb18030</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1076"/>
        <source>it reads as {encoding}: leave out --encoding</source>
        <translation>它按 {encoding} 可以读取：去掉 --encoding</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1077"/>
        <source>item tags of inspected units (62x29 mm)</source>
        <translation>已质检商品的商品标签（62x29 mm）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1078"/>
        <source>item {i}</source>
        <translation>第 {i} 项</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1079"/>
        <source>item {i}: holds an object where a text or a number belongs</source>
        <translation>第 {i} 项：在应为文本或数字的位置上是一个对象</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1080"/>
        <source>item {i}: is not an object</source>
        <translation>第 {i} 项：不是对象</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1081"/>
        <source>item {row}</source>
        <translation>第 {row} 项</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1082"/>
        <source>keeps its password</source>
        <translation>保留原密码</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1083"/>
        <source>label size (default: the station&apos;s, else 4x6)</source>
        <translation>标签尺寸（默认：工位的设置，否则为 4x6）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1084"/>
        <source>language of the PDF (default en)</source>
        <translation>PDF 的语言（默认 en）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1085"/>
        <source>language of the document (default en)</source>
        <translation>单据的语言（默认 en）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1086"/>
        <source>language of the pictures (default en)</source>
        <translation>图片的语言（默认 en）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1087"/>
        <source>last day (included), e.g. 2026-11-30</source>
        <translation>最后一天（包含），如 2026-11-30</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1088"/>
        <source>line {line_no} ({sku}) {short} of {authorized} not in the parcel</source>
        <translation>第 {line_no} 行（{sku}）{authorized} 件中有 {short} 件不在包裹中</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1089"/>
        <source>line {line_no}: {note}</source>
        <translation>第 {line_no} 行：{note}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1090"/>
        <source>line {line_no}: {qty_requested} requested, {max} still returnable</source>
        <translation>第 {line_no} 行：申请 {qty_requested} 件，仍可退 {max} 件</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1091"/>
        <source>line_no {line_no} of order {order_no} appears twice (also {seen})</source>
        <translation>订单 {order_no} 的 line_no {line_no} 出现两次（另见 {seen}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1092"/>
        <source>list or delete saved column mappings</source>
        <translation>列出或删除已保存的列对应方案</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1093"/>
        <source>list sites with their time zones</source>
        <translation>列出站点及其时区</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1094"/>
        <source>list users with role, limit and state</source>
        <translation>列出用户及其角色、额度和状态</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1095"/>
        <source>lists &apos;{code}&apos; twice</source>
        <translation>两次列出了“{code}”</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1096"/>
        <source>local file {path}</source>
        <translation>本地文件 {path}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1097"/>
        <source>locked</source>
        <translation>已锁定</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1098"/>
        <source>look at customers&apos; return histories</source>
        <translation>查看顾客的退货历史</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1099"/>
        <source>look at customers&apos; store credit</source>
        <translation>查看顾客的储值</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1100"/>
        <source>look at returns</source>
        <translation>查看退货单</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1101"/>
        <source>look at returns waiting for approval</source>
        <translation>查看待审批的退货单</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1102"/>
        <source>look at the master data</source>
        <translation>查看主数据</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1103"/>
        <source>make the server&apos;s self-signed TLS certificate</source>
        <translation>生成服务器的自签名 TLS 证书</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1104"/>
        <source>manage claims</source>
        <translation>管理退供单</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1105"/>
        <source>manage master data</source>
        <translation>管理主数据</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1106"/>
        <source>many simulated stations at once, then prove the invariants</source>
        <translation>同时运行多个模拟工位，然后验证不变量</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1107"/>
        <source>monthly and supplier: language of the PDF and the workbook</source>
        <translation>monthly 和 supplier：PDF 和工作簿的语言</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1108"/>
        <source>must be a Decimal between 0 and 1, not {value}</source>
        <translation>必须是 0 到 1 之间的 Decimal，而不是 {value}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1109"/>
        <source>must be a decimal number written as text, not {value}</source>
        <translation>必须是以文本书写的小数，而不是 {value}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1110"/>
        <source>must be a decimal number, not {value}</source>
        <translation>必须是小数，而不是 {value}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1111"/>
        <source>must be a list of categories</source>
        <translation>必须是品类列表</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1112"/>
        <source>must be a list of condition codes</source>
        <translation>必须是条件代码列表</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1113"/>
        <source>must be a whole number of days, not {value}</source>
        <translation>必须是整数天数，而不是 {value}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1114"/>
        <source>must be an amount in minor units (an integer), not {value}</source>
        <translation>必须是以最小货币单位表示的金额（整数），而不是 {value}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1115"/>
        <source>must be an object of category -&gt; days</source>
        <translation>必须是“品类 -&gt; 天数”的对象</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1116"/>
        <source>must be an object of grade -&gt; factor</source>
        <translation>必须是“等级 -&gt; 系数”的对象</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1117"/>
        <source>must be at least 1</source>
        <translation>至少为 1</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1118"/>
        <source>must be between 0 and 1, not {value}</source>
        <translation>必须在 0 到 1 之间，而不是 {value}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1119"/>
        <source>must be between {minimum} and {maximum} days, not {value}</source>
        <translation>必须在 {minimum} 到 {maximum} 天之间，而不是 {value}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1120"/>
        <source>must be text</source>
        <translation>必须是文本</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1121"/>
        <source>must be true or false</source>
        <translation>必须是 true 或 false</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1122"/>
        <source>must not be negative ({amount})</source>
        <translation>不能为负数（{amount}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1123"/>
        <source>name shown on screens and receipts</source>
        <translation>屏幕和小票上显示的名称</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1124"/>
        <source>names category &apos;{category}&apos; twice</source>
        <translation>两次列出了品类“{category}”</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1125"/>
        <source>no column is mapped to {missing}</source>
        <translation>没有列映射到 {missing}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1126"/>
        <source>no language</source>
        <translation>没有语言</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1127"/>
        <source>no profile of {kind} is saved yet</source>
        <translation>还没有保存{kind}的导入方案</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1128"/>
        <source>no reason given</source>
        <translation>未说明原因</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1129"/>
        <source>no resolution</source>
        <translation>没有可用的处理方式</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1130"/>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1131"/>
        <source>note</source>
        <translation>备注</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1132"/>
        <source>nothing more</source>
        <translation>无后续操作</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1133"/>
        <source>off</source>
        <translation>关</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1134"/>
        <source>on</source>
        <translation>开</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1135"/>
        <source>on {when}</source>
        <translation>于 {when}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1136"/>
        <source>one of: {roles}</source>
        <translation>以下之一：{roles}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1137"/>
        <source>one site (its days and its returns)</source>
        <translation>单个站点（按其日期和其退货单）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1138"/>
        <source>one station</source>
        <translation>单个工位</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1139"/>
        <source>only this station&apos;s shifts</source>
        <translation>只显示此工位的班次</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1140"/>
        <source>only unit N of the return (as numbered on the tags); default: every unit that stays</source>
        <translation>只打印退货单的第 N 件（按标签上的编号）；默认：每件留存的商品</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1141"/>
        <source>open</source>
        <translation>未交班</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1142"/>
        <source>open sessions, newest first</source>
        <translation>当前会话，最新的在前</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1143"/>
        <source>open the station&apos;s shift with the float</source>
        <translation>以备用金为工位开班</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1144"/>
        <source>options</source>
        <translation>选项</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1145"/>
        <source>order number</source>
        <translation>订单号</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1146"/>
        <source>order {i}</source>
        <translation>第 {i} 个订单</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1147"/>
        <source>order {order_no}</source>
        <translation>订单 {order_no}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1148"/>
        <source>order {order_no} appears twice in the file (also {first_seen}); write each order once with all its lines</source>
        <translation>订单 {order_no} 在文件中出现了两次（另见 {first_seen}）；每个订单请只写一次，并包含其所有行</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1149"/>
        <source>order {order_no} is already in the database (imported before?)</source>
        <translation>订单 {order_no} 已在数据库中（之前导入过？）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1150"/>
        <source>order {order_no} totals {total}, more than ReturnDesk can store (at most {max_amount})</source>
        <translation>订单 {order_no} 合计 {total}，超出 ReturnDesk 能保存的范围（最多 {max_amount}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1151"/>
        <source>order_no &apos;{order_no_raw}&apos; is not an order number (SO- followed by digits, e.g. SO-1042)</source>
        <translation>order_no“{order_no_raw}”不是订单号（SO- 加数字，例如 SO-1042）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1152"/>
        <source>order_no is missing</source>
        <translation>缺少 order_no</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1153"/>
        <source>original packaging</source>
        <translation>原包装</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1154"/>
        <source>out of date: run &apos;returndesk db upgrade&apos;</source>
        <translation>已过时：请运行“returndesk db upgrade”</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1155"/>
        <source>outside the policy</source>
        <translation>不符合政策</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1156"/>
        <source>override policy</source>
        <translation>进行政策特批</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1157"/>
        <source>override reason</source>
        <translation>特批理由</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1158"/>
        <source>overriding the return policy</source>
        <translation>政策特批</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1159"/>
        <source>paid {paid} is not unit_price × quantity − discount ({unit_price} × {quantity} − {discount} = {gross})</source>
        <translation>实付 {paid} 不等于单价 × 数量 − 折扣（{unit_price} × {quantity} − {discount} = {gross}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1160"/>
        <source>parcel #{parcel_id}</source>
        <translation>包裹 #{parcel_id}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1161"/>
        <source>paying out cash, or choose another refund method</source>
        <translation>支付现金，或选择其他退款方式</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1162"/>
        <source>payment_method &apos;{payment}&apos; is not one of {payment_methods}</source>
        <translation>payment_method“{payment}”不是以下之一：{payment_methods}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1163"/>
        <source>payment_method is missing</source>
        <translation>缺少 payment_method</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1164"/>
        <source>phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1165"/>
        <source>phone: digits, spaces, + - ( ); stored as digits</source>
        <translation>phone：数字、空格、+ - ( )；只保存数字</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1166"/>
        <source>plain HTTP even when a certificate exists (loopback only)</source>
        <translation>即使有证书也使用普通 HTTP（仅限本机回环地址）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1167"/>
        <source>policy version {version}</source>
        <translation>政策版本 {version}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1168"/>
        <source>positional arguments</source>
        <translation>位置参数</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1169"/>
        <source>price, cost: 399.00; tax_rate: 13 or 13%; returnable, serial_tracked: yes/no, 是/否, 1/0
  barcodes: several separated by ; or ,  category: a code or a name (a new one is created)
  supplier: a supplier&apos;s code or name (import the suppliers first)
  restocking_fee_class: standard (the policy&apos;s fee) or exempt (never charged)</source>
        <translation>price、cost：399.00；tax_rate：13 或 13%；returnable、serial_tracked：yes/no、是/否、1/0
  barcodes：多个用 ; 或 , 分隔  category：编码或名称（新的会被创建）
  supplier：供应商的编码或名称（请先导入供应商）
  restocking_fee_class：standard（按政策收费）或 exempt（从不收费）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1170"/>
        <source>print</source>
        <translation>打印</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1171"/>
        <source>print claim documents</source>
        <translation>打印退供单据</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1172"/>
        <source>print return labels, receipts, item tags, credit notes, the command sheet</source>
        <translation>打印退货标签、小票、商品标签、贷项通知单、指令单</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1173"/>
        <source>printers and company profile of a station (or of all: &apos;*&apos;)</source>
        <translation>工位（或全部：“*”）的打印机和公司资料</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1174"/>
        <source>product</source>
        <translation>商品</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1175"/>
        <source>products</source>
        <translation>商品</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1176"/>
        <source>products, customers, suppliers, categories or orders (default: all)</source>
        <translation>products、customers、suppliers、categories 或 orders（默认：全部）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1177"/>
        <source>proof of purchase</source>
        <translation>购买凭证</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1178"/>
        <source>prove that no audit event was changed or removed</source>
        <translation>证明没有审计事件被修改或删除</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1179"/>
        <source>put back in stock</source>
        <translation>回库</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1180"/>
        <source>put back into stock</source>
        <translation>放回库存</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1181"/>
        <source>question</source>
        <translation>问题</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1182"/>
        <source>random seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1183"/>
        <source>random seed (default 1)</source>
        <translation>随机种子（默认 1）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1184"/>
        <source>rates only: the dimension</source>
        <translation>仅用于 rates：统计维度</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1185"/>
        <source>read the analytics</source>
        <translation>查看数据分析</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1186"/>
        <source>read the columns as the saved profile NAME says</source>
        <translation>按已保存的方案 NAME 读取各列</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1187"/>
        <source>read the password from standard input</source>
        <translation>从标准输入读取密码</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1188"/>
        <source>read the password from the first line of standard input instead of asking twice (for scripts)</source>
        <translation>从标准输入的第一行读取密码，而不是询问两次（用于脚本）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1189"/>
        <source>read the suppliers&apos; report</source>
        <translation>查看供应商报表</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1190"/>
        <source>reasons, rates, cycle-times, money, risk, monthly (the printable A4 PDF with the charts), or supplier (per supplier: return rates, reasons, vendor fault, claims; PDF or xlsx to send)</source>
        <translation>reasons、rates、cycle-times、money、risk、monthly（带图表的可打印 A4 PDF），或 supplier（按供应商：退货率、退货原因、供应商责任、退供单；可发送的 PDF 或 xlsx）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1191"/>
        <source>receive</source>
        <translation>收货</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1192"/>
        <source>record a unit</source>
        <translation>记录商品</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1193"/>
        <source>record units</source>
        <translation>记录商品</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1194"/>
        <source>refund</source>
        <translation>退款</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1195"/>
        <source>refurbish</source>
        <translation>送修翻新</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1196"/>
        <source>reject</source>
        <translation>驳回</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1197"/>
        <source>reject refund</source>
        <translation>驳回退款</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1198"/>
        <source>reject return</source>
        <translation>驳回退货</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1199"/>
        <source>rejecting the refund</source>
        <translation>驳回退款</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1200"/>
        <source>remove the override of FIELD (repeatable)</source>
        <translation>删除 FIELD 的覆盖值（可重复）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1201"/>
        <source>remove the station&apos;s own choice for DOCUMENT (repeatable)</source>
        <translation>删除工位自己为 DOCUMENT 设置的选择（可重复）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1202"/>
        <source>render every screen with demo data to PNG files</source>
        <translation>用演示数据将每个屏幕渲染为 PNG 文件</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1203"/>
        <source>reopen</source>
        <translation>重新打开</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1204"/>
        <source>reopen return</source>
        <translation>重新打开退货单</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1205"/>
        <source>replacement order barcode</source>
        <translation>换货单条码</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1206"/>
        <source>replacement order {order_no}</source>
        <translation>换货单 {order_no}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1207"/>
        <source>restocking_fee_class &apos;{text}&apos; is not one of {fee_classes}</source>
        <translation>restocking_fee_class“{text}”不是以下之一：{fee_classes}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1208"/>
        <source>return reason {code}</source>
        <translation>退货原因 {code}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1209"/>
        <source>return {rma_no}</source>
        <translation>退货单 {rma_no}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1210"/>
        <source>return {rma}</source>
        <translation>退货单 {rma}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1211"/>
        <source>return_window_days: days, or default (the policy&apos;s window); returnable: yes/no</source>
        <translation>return_window_days：天数，或 default（按政策的期限）；returnable：yes/no</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1212"/>
        <source>returns to create, spread over every state (default 150; at most about one per order)</source>
        <translation>要创建的退货单数量，分布在各个状态（默认 150；最多约每个订单一张）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1213"/>
        <source>returns, refunds or journal (for a period); red-letter: the credit notes of the period as the e-invoicing platform imports them (红字发票, xlsx); products, customers, suppliers or categories (all of them, as the import reads them)</source>
        <translation>returns、refunds 或 journal（某期间）；red-letter：期间内的贷项通知单，按电子发票平台的导入格式（红字发票，xlsx）；products、customers、suppliers 或 categories（全部，按导入所读的格式）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1214"/>
        <source>review returns</source>
        <translation>审核退货</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1215"/>
        <source>roles:
  clerk       service counter: finds sales, creates returns, refunds within the limit
  inspector   receiving dock: receives parcels, inspects and grades items
  supervisor  approves refunds routed to them, overrides the policy with a reason
  manager     second approval level for large refunds, verifies the audit trail
  finance     refunds, credit notes, journal and exports
  admin       everything, including users and the return policy

example:
  returndesk user add wang.fang --role clerk --limit 500 --display-name &quot;王芳&quot;</source>
        <translation>角色：
  clerk       服务柜台：查找销售、创建退货单、在额度内退款
  inspector   收货区：接收包裹、质检并评定商品等级
  supervisor  审批转给自己的退款，说明理由后进行政策特批
  manager     大额退款的第二级审批，校验审计记录
  finance     退款、贷项通知单、日记账和导出
  admin       全部权限，包括用户和退货政策

示例：
  returndesk user add wang.fang --role clerk --limit 500 --display-name &quot;王芳&quot;</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1216"/>
        <source>roll width in mm (default: the station&apos;s, else 80)</source>
        <translation>纸卷宽度（mm）（默认：工位的设置，否则为 80）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1217"/>
        <source>route for approval</source>
        <translation>送审批</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1218"/>
        <source>row 1: no header row</source>
        <translation>第 1 行：没有表头行</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1219"/>
        <source>row {row}</source>
        <translation>第 {row} 行</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1220"/>
        <source>row {row}: has {last} cells, the header has {headers_count}</source>
        <translation>第 {row} 行：有 {last} 个单元格，而表头有 {headers_count} 个</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1221"/>
        <source>row {row}: {message}</source>
        <translation>第 {row} 行：{message}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1222"/>
        <source>row {start}: the CSV cannot be read from this line on ({exc}); check the quotes and the length of the cells there. Nothing was imported.</source>
        <translation>第 {start} 行：从这一行起无法读取 CSV（{exc}）；请检查该处的引号和单元格长度。未导入任何内容。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1223"/>
        <source>rtv_terms &apos;{text}&apos; is not one of {rtv_terms}</source>
        <translation>rtv_terms“{text}”不是以下之一：{rtv_terms}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1224"/>
        <source>run the ReturnDesk server for shared mode and other systems</source>
        <translation>为共享模式和其他系统运行 ReturnDesk 服务器</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1225"/>
        <source>sales and returns spread over the last D days (default 90)</source>
        <translation>销售和退货分布在最近 D 天内（默认 90）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1226"/>
        <source>sales orders to create (default 500)</source>
        <translation>要创建的销售订单数量（默认 500）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1227"/>
        <source>sales to return against (default 5 per station)</source>
        <translation>用于退货的销售数量（默认每个工位 5 个）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1228"/>
        <source>save it as &quot;CSV UTF-8&quot;, or give its encoding with --encoding</source>
        <translation>请另存为“CSV UTF-8”，或用 --encoding 指定其编码</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1229"/>
        <source>save the PDF as this file instead</source>
        <translation>改为将 PDF 保存为此文件</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1230"/>
        <source>schema revision and returns per status</source>
        <translation>结构版本及各状态的退货单数量</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1231"/>
        <source>scrapped</source>
        <translation>报废</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1232"/>
        <source>search returns</source>
        <translation>搜索退货单</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1233"/>
        <source>see claims against suppliers</source>
        <translation>查看退供单</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1234"/>
        <source>sender</source>
        <translation>寄件人</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1235"/>
        <source>sent for authorisation</source>
        <translation>提交授权</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1236"/>
        <source>serial number</source>
        <translation>序列号</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1237"/>
        <source>server processes (default 1)</source>
        <translation>服务器进程数（默认 1）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1238"/>
        <source>set a new password for a user</source>
        <translation>为用户设置新密码</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1239"/>
        <source>set the stage targets</source>
        <translation>设置阶段目标</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1240"/>
        <source>settle claims</source>
        <translation>结算退供单</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1241"/>
        <source>shared PostgreSQL: create the schema and the server&apos;s login</source>
        <translation>共享 PostgreSQL：创建数据库结构和服务器登录名</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1242"/>
        <source>shipped before the supplier authorised it</source>
        <translation>在供应商授权前发货</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1243"/>
        <source>shops and warehouses and their time zones</source>
        <translation>门店、仓库及其时区</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1244"/>
        <source>show a preview before printing</source>
        <translation>打印前显示预览</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1245"/>
        <source>show or override the company profile printed on documents</source>
        <translation>显示或覆盖单据上打印的公司资料</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1246"/>
        <source>show or set where each document is printed</source>
        <translation>显示或设置每种单据的打印位置</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1247"/>
        <source>show this help message and exit</source>
        <translation>显示此帮助信息并退出</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1248"/>
        <source>simulated stations (processes)</source>
        <translation>模拟工位数（进程）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1249"/>
        <source>site {code}</source>
        <translation>门店 {code}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1250"/>
        <source>sku</source>
        <translation>SKU</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1251"/>
        <source>sku is missing</source>
        <translation>缺少 sku</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1252"/>
        <source>sold_at {sold_at:%Y-%m-%d %H:%M} is in the future at site {site} ({site_zone})</source>
        <translation>sold_at {sold_at:%Y-%m-%d %H:%M} 在站点 {site}（{site_zone}）是未来时间</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1253"/>
        <source>standard output</source>
        <translation>标准输出</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1254"/>
        <source>station {code}</source>
        <translation>工位 {code}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1255"/>
        <source>stop each station after this many operations (a fixed amount of work; --seconds still bounds the run)</source>
        <translation>每个工位完成这么多次操作后停止（固定工作量；--seconds 仍限制运行时长）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1256"/>
        <source>store or warehouse</source>
        <translation>门店或仓库</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1257"/>
        <source>submit</source>
        <translation>提交</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1258"/>
        <source>supplier</source>
        <translation>供应商</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1259"/>
        <source>supplier only: one supplier (default: all)</source>
        <translation>仅用于 supplier：单个供应商（默认：全部）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1260"/>
        <source>suppliers</source>
        <translation>供应商</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1261"/>
        <source>tags attached</source>
        <translation>吊牌完好</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1262"/>
        <source>take the badge away</source>
        <translation>收回工牌</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1263"/>
        <source>take the customer&apos;s reply</source>
        <translation>记录顾客回复</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1264"/>
        <source>taking cash, or let the customer pay another way</source>
        <translation>收取现金，或让顾客用其他方式付款</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1265"/>
        <source>tax {tax} is more than paid {paid}</source>
        <translation>税额 {tax} 超过实付 {paid}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1266"/>
        <source>tax_rate &apos;{raw}&apos; is not a rate (write 13 or 13%)</source>
        <translation>tax_rate“{raw}”不是税率（请写 13 或 13%）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1267"/>
        <source>tax_rate &apos;{raw}&apos; is not a rate between 0 and 100% with at most two decimals</source>
        <translation>tax_rate“{raw}”不是 0 到 100% 之间、最多两位小数的税率</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1268"/>
        <source>tax_rate must be between 0 and 100%</source>
        <translation>tax_rate 必须在 0 到 100% 之间</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1269"/>
        <source>text encoding of a CSV or JSON file (default: detect UTF-8 or GB18030)</source>
        <translation>CSV 或 JSON 文件的文本编码（默认：自动识别 UTF-8 或 GB18030）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1270"/>
        <source>the .csv, .xlsx or .json file</source>
        <translation>.csv、.xlsx 或 .json 文件</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1271"/>
        <source>the CUPS printer &apos;{name}&apos;</source>
        <translation>CUPS 打印机“{name}”</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1272"/>
        <source>the PDF file {path}</source>
        <translation>PDF 文件 {path}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1273"/>
        <source>the Zebra printer at {address}</source>
        <translation>位于 {address} 的 Zebra 打印机</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1274"/>
        <source>the Zebra printer on the raw queue &apos;{queue}&apos;</source>
        <translation>原始队列“{queue}”上的 Zebra 打印机</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1275"/>
        <source>the amount cannot be negative</source>
        <translation>金额不能为负</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1276"/>
        <source>the cash shift of station {station}</source>
        <translation>工位 {station} 的现金班次</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1277"/>
        <source>the code printed on the badge (scan it)</source>
        <translation>工牌上印的编码（扫描它）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1278"/>
        <source>the command line</source>
        <translation>命令行</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1279"/>
        <source>the counter receipt (80 or 58 mm roll)</source>
        <translation>柜台小票（80 或 58 mm 纸卷）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1280"/>
        <source>the counter station, e.g. COUNTER-1</source>
        <translation>柜台工位，如 COUNTER-1</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1281"/>
        <source>the credit note (A4)</source>
        <translation>贷项通知单（A4）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1282"/>
        <source>the disk is full</source>
        <translation>磁盘已满</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1283"/>
        <source>the disk is read-only</source>
        <translation>磁盘为只读</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1284"/>
        <source>the field of the column HEADER (repeat; FIELD empty: leave the column out)</source>
        <translation>列 HEADER 对应的字段（可重复；FIELD 为空：不导入该列）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1285"/>
        <source>the file or folder does not exist</source>
        <translation>文件或文件夹不存在</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1286"/>
        <source>the inspection command sheet (A4)</source>
        <translation>质检指令单（A4）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1287"/>
        <source>the overdue returns</source>
        <translation>逾期的退货单</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1288"/>
        <source>the packaging is not intact</source>
        <translation>包装不完整</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1289"/>
        <source>the parcel</source>
        <translation>该包裹</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1290"/>
        <source>the policy draft</source>
        <translation>政策草稿</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1291"/>
        <source>the printer &apos;{name}&apos;</source>
        <translation>打印机“{name}”</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1292"/>
        <source>the return</source>
        <translation>该退货单</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1293"/>
        <source>the return label (4x6 in or 100x150 mm)</source>
        <translation>退货标签（4x6 英寸或 100x150 mm）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1294"/>
        <source>the return policy</source>
        <translation>退货政策</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1295"/>
        <source>the return without a receipt of {product}</source>
        <translation>{product} 的无小票退货</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1296"/>
        <source>the saved profiles of {kind} are {names}</source>
        <translation>已保存的{kind}导入方案有：{names}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1297"/>
        <source>the server&apos;s address, e.g. https://returns.example.lan:8443</source>
        <translation>服务器地址，如 https://returns.example.lan:8443</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1298"/>
        <source>the server&apos;s login (default returndesk_server)</source>
        <translation>服务器的登录名（默认 returndesk_server）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1299"/>
        <source>the settings of {station}</source>
        <translation>{station} 的设置</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1300"/>
        <source>the settled returns</source>
        <translation>已结清的退货单</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1301"/>
        <source>the shift&apos;s number, e.g. CS-2026-000012</source>
        <translation>班次号，如 CS-2026-000012</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1302"/>
        <source>the shifts opened in a period (finance)</source>
        <translation>期间内开班的班次（财务）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1303"/>
        <source>the site code sales and stations carry, e.g. SH01</source>
        <translation>销售和工位所带的站点编码，如 SH01</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1304"/>
        <source>the site&apos;s name</source>
        <translation>站点名称</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1305"/>
        <source>the station signed in at (default: this one)</source>
        <translation>登录所在的工位（默认：本工位）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1306"/>
        <source>the station&apos;s open shift and what it should hold</source>
        <translation>工位未交班的班次及其应有金额</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1307"/>
        <source>the store credit of customer #{customer_id}</source>
        <translation>顾客 #{customer_id} 的门店储值</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1308"/>
        <source>the system refused</source>
        <translation>系统拒绝了操作</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1309"/>
        <source>the time zone of station {station}</source>
        <translation>工位 {station} 的时区</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1310"/>
        <source>the user can no longer sign in or act</source>
        <translation>该用户不能再登录或操作</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1311"/>
        <source>the user can sign in again</source>
        <translation>该用户可以重新登录</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1312"/>
        <source>the user whose sessions end</source>
        <translation>要结束其会话的用户</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1313"/>
        <source>this user may not open it</source>
        <translation>当前用户无权打开它</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1314"/>
        <source>through the ReturnDesk server (user, station printers, housekeeping)</source>
        <translation>通过 ReturnDesk 服务器（user、station printers、housekeeping）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1315"/>
        <source>time zone of the days and of the times in the file: the installation&apos;s zone (default), UTC, local, or a name such as Asia/Shanghai</source>
        <translation>日期和文件中时间所用的时区：本系统的时区（默认）、UTC、local，或 Asia/Shanghai 这样的名称</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1316"/>
        <source>to be returned to the vendor</source>
        <translation>待退回供应商</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1317"/>
        <source>to refurbishment</source>
        <translation>送修翻新</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1318"/>
        <source>to scrap</source>
        <translation>报废</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1319"/>
        <source>tracking number</source>
        <translation>快递单号</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1320"/>
        <source>trust the server only if its certificate has this SHA-256 fingerprint (as &apos;returndesk server init&apos; printed it)</source>
        <translation>只有证书的 SHA-256 指纹与此相同时才信任服务器（即“returndesk server init”打印的指纹）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1321"/>
        <source>trust the server&apos;s certificate by this file (its server.crt or the shop&apos;s CA)</source>
        <translation>用此文件信任服务器的证书（服务器的 server.crt 或门店的 CA）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1322"/>
        <source>undo a unit</source>
        <translation>撤销商品</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1323"/>
        <source>undo it</source>
        <translation>撤销</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1324"/>
        <source>unit #{unit_id}</source>
        <translation>商品 #{unit_id}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1325"/>
        <source>unit {code}</source>
        <translation>商品 {code}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1326"/>
        <source>unit {unit_id} of {rma}</source>
        <translation>{rma} 的商品 {unit_id}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1327"/>
        <source>unknown SKU &apos;{sku}&apos; (not in the product catalogue)</source>
        <translation>未知 SKU“{sku}”（不在商品目录中）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1328"/>
        <source>unlock an account after failed sign-ins</source>
        <translation>解锁登录失败后被锁定的账户</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1329"/>
        <source>up to date</source>
        <translation>已是最新</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1330"/>
        <source>use the printers of this station</source>
        <translation>使用此工位的打印机</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1331"/>
        <source>user name for signing in (letters, digits, . _ -)</source>
        <translation>登录用户名（字母、数字、. _ -）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1332"/>
        <source>verify audit</source>
        <translation>核验审计记录</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1333"/>
        <source>verify the audit trail</source>
        <translation>校验审计记录</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1334"/>
        <source>view claims</source>
        <translation>查看退供单</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1335"/>
        <source>view finance</source>
        <translation>查看财务</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1336"/>
        <source>view queues</source>
        <translation>查看工作队列</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1337"/>
        <source>waits for the customer&apos;s answer: authorize it before printing its return label</source>
        <translation>正在等待顾客答复：请先授权再打印退货标签</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1338"/>
        <source>was cancelled, so it has no valid return label</source>
        <translation>已取消，因此没有有效的退货标签</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1339"/>
        <source>was created</source>
        <translation>已创建</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1340"/>
        <source>was rejected, so it has no valid return label</source>
        <translation>已被拒绝，因此没有有效的退货标签</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1341"/>
        <source>what is known of a difference</source>
        <translation>关于差额的说明</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1342"/>
        <source>where to write server.crt and server.key</source>
        <translation>server.crt 和 server.key 的写入位置</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1343"/>
        <source>who is signed in at the server; end sessions</source>
        <translation>谁登录了服务器；结束会话</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1344"/>
        <source>write the PDF report to FILE</source>
        <translation>将 PDF 报表写入 FILE</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1345"/>
        <source>you may not issue refunds.</source>
        <translation>您无权办理退款。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1346"/>
        <source>you may not pay refunds in cash.</source>
        <translation>您无权以现金退款。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1347"/>
        <source>{accepted_qty} units are accepted but {units_count} unit numbers were given.</source>
        <translation>接收了 {accepted_qty} 件，却给了 {units_count} 个件号。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1348"/>
        <source>{amount} in cash is above your cash limit of {limit}; a supervisor must pay it out.</source>
        <translation>现金 {amount} 超出您的现金限额 {limit}；须由主管支付。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1349"/>
        <source>{amount} is above your approval limit of {approver_limit}; {next_level} must approve.</source>
        <translation>{amount} 超出您的审批限额 {approver_limit}；须由{next_level}审批。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1350"/>
        <source>{amount} over</source>
        <translation>长款 {amount}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1351"/>
        <source>{amount} short</source>
        <translation>短款 {amount}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1352"/>
        <source>{a} cannot approve refunds; {who} must approve.</source>
        <translation>{a}不能审批退款；须由{who}审批。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1353"/>
        <source>{base_url} answers, but not as a ReturnDesk server of this version. Check the address and the port (8443 unless the administrator chose another).</source>
        <translation>{base_url} 有响应，但不是本版本的 ReturnDesk 服务器。请检查地址和端口（除非管理员另有设置，否则为 8443）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1354"/>
        <source>{candidate} is not a valid RMA number: the check digit does not match; rescan or type it again</source>
        <translation>{candidate} 不是有效的退货单号：校验位不符；请重新扫描或输入</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1355"/>
        <source>{category} is a non-returnable category; this item cannot be returned.</source>
        <translation>{category} 是不可退货品类；此商品不能退货。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1356"/>
        <source>{closed}, posted as journal entry {entry_no}.</source>
        <translation>{closed}，已记账凭证 {entry_no}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1357"/>
        <source>{code} is a GTIN-14 for a case or pack (indicator {gtin14}); it has no EAN-13 form. Scan the barcode of the single item.</source>
        <translation>{code} 是整箱或整包的 GTIN-14（指示符 {gtin14}）；没有对应的 EAN-13。请扫描单件商品的条码。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1358"/>
        <source>{code} is a command barcode this version of ReturnDesk does not know; print a new command sheet.</source>
        <translation>{code} 是本版本 ReturnDesk 不认识的指令条码，请重新打印指令单。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1359"/>
        <source>{code} looks like a command barcode but did not read correctly; scan it again.</source>
        <translation>{code} 像是指令条码，但没有正确读取，请重新扫描。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1360"/>
        <source>{copies} is not a number of copies between 1 and 99.</source>
        <translation>{copies} 不是 1 到 99 之间的份数。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1361"/>
        <source>{count} accepted</source>
        <translation>接收 {count} 件</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1362"/>
        <source>{count} over</source>
        <translation>多出 {count} 件</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1363"/>
        <source>{count} rejected</source>
        <translation>拒收 {count} 件</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1364"/>
        <source>{count} sale(s) have no invoice number on record ({sales}); their lines have an empty invoice number. Fill it in on the platform, or import the sales with their invoice numbers first.</source>
        <translation>{count} 笔销售没有登记发票号码（{sales}）；这些行的发票号码为空。请在平台上补填，或先导入带发票号码的销售。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1365"/>
        <source>{count} serial numbers need fixing</source>
        <translation>有 {count} 个序列号需要修改</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1366"/>
        <source>{count} wrong items</source>
        <translation>错发商品 {count} 件</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1367"/>
        <source>{database} can be read but not written by this user; nothing was saved. Check that this user may write the file and its folder and that the disk is not read-only, or ask the administrator, then start ReturnDesk again.</source>
        <translation>{database}可读但当前用户不能写入；未保存任何内容。请确认该用户可以写入该文件及其文件夹、磁盘不是只读，或联系管理员，然后重新启动 ReturnDesk。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1368"/>
        <source>{database} could not be read or written because of a disk error; nothing was saved. Check the disk, then try again.</source>
        <translation>{database}因磁盘错误无法读写；未保存任何内容。请检查磁盘后重试。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1369"/>
        <source>{database} is in use by another program that did not let go within {seconds:g} seconds; nothing was saved. Close other programs that have it open (a second ReturnDesk on this computer, a backup or a database browser), then try again.</source>
        <translation>{database}正被另一个程序占用，{seconds:g} 秒内未释放；未保存任何内容。请关闭打开它的其他程序（本机上的另一个 ReturnDesk、备份程序或数据库浏览器），然后重试。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1370"/>
        <source>{database} is in use by another program that did not let go; nothing was saved. Close other programs that have it open (a second ReturnDesk on this computer, a backup or a database browser), then try again.</source>
        <translation>{database}正被另一个程序占用且未释放；未保存任何内容。请关闭打开它的其他程序（本机上的另一个 ReturnDesk、备份程序或数据库浏览器），然后重试。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1371"/>
        <source>{database} is up to date (schema revision {revision}).</source>
        <translation>{database} 已是最新（结构版本 {revision}）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1372"/>
        <source>{database} upgraded from revision {before} to {revision}; reference data is in place.</source>
        <translation>{database} 已从版本 {before} 升级到 {revision}；基础数据已就绪。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1373"/>
        <source>{describe} is a printer of the desktop application; print from the application, or choose a CUPS printer or a PDF folder for this station.</source>
        <translation>{describe} 是桌面程序的打印机；请从程序中打印，或为本工位选择 CUPS 打印机或 PDF 文件夹。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1374"/>
        <source>{diff} differ(s) from {where} of order {order_no}</source>
        <translation>{diff} 与订单 {order_no} 的 {where} 不同</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1375"/>
        <source>{digits} cannot be printed as a retail barcode here: labels carry UPC-A (12 digits) or EAN-13 (13 digits) product codes.</source>
        <translation>{digits} 在此无法打印为零售条码：标签只能印 UPC-A（12 位）或 EAN-13（13 位）商品码。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1376"/>
        <source>{display_name} ({role}) cannot sign off returns; a supervisor or a manager must.</source>
        <translation>{display_name}（{role}）不能授权退货；须由主管或经理授权。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1377"/>
        <source>{document_words} cannot be printed as ZPL.</source>
        <translation>{document_words}不能打印为 ZPL。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1378"/>
        <source>{document_words} cannot be printed as ZPL; only return labels and item tags can. Choose a CUPS printer, a system printer or a PDF folder for them.</source>
        <translation>{document_words}不能打印为 ZPL；只有退货标签和商品标签可以。请为其选择 CUPS 打印机、系统打印机或 PDF 文件夹。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1379"/>
        <source>{field} must be a sequence of lines, not a single string.</source>
        <translation>{field} 必须是多行文本的序列，不能是单个字符串。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1380"/>
        <source>{file} is not valid JSON: {exc}.</source>
        <translation>{file} 不是有效的 JSON：{exc}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1381"/>
        <source>{file} must hold one JSON object of profile fields.</source>
        <translation>{file} 必须包含一个由方案字段组成的 JSON 对象。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1382"/>
        <source>{final} is a folder; give a file name, e.g. {final2}.</source>
        <translation>{final} 是文件夹；请给出文件名，例如 {final2}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1383"/>
        <source>{found} (detected)</source>
        <translation>{found}（自动识别）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1384"/>
        <source>{group}.{method} takes no argument {unknown}.</source>
        <translation>{group}.{method} 没有参数 {unknown}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1385"/>
        <source>{key_field} is missing</source>
        <translation>缺少 {key_field}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1386"/>
        <source>{key_field} {key} appears twice (also {seen})</source>
        <translation>{key_field} {key} 出现了两次（另见 {seen}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1387"/>
        <source>{key_field} {key} appears twice in the file (also {seen})</source>
        <translation>{key_field} {key} 在文件中出现了两次（另见 {seen}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1388"/>
        <source>{kind} / {name} (saved {day} by {who}):</source>
        <translation>{kind} / {name}（{day} 由 {who} 保存）：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1389"/>
        <source>{kind} data is made as an Excel file only: name it *{suffix}.</source>
        <translation>{kind}数据只能生成为 Excel 文件：请命名为 *{suffix}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1390"/>
        <source>{label}, line {j}</source>
        <translation>{label}，第 {j} 行</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1391"/>
        <source>{label}: &apos;{reason_code}&apos; is not a return reason; choose one from the list.</source>
        <translation>{label}：“{reason_code}”不是退货原因；请从列表中选择。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1392"/>
        <source>{label}: &apos;{resolution}&apos; is not a resolution; choose refund or exchange.</source>
        <translation>{label}：“{resolution}”不是处理方式；请选择退款或换货。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1393"/>
        <source>{label}: serial {shown} is already back from the customer on {rma_no}; one unit is refunded once.</source>
        <translation>{label}：序列号 {shown} 已在 {rma_no} 上由顾客退回；同一件商品只能退款一次。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1394"/>
        <source>{label}: serial {shown} is given twice; scan each unit once.</source>
        <translation>{label}：序列号 {shown} 给了两次；每件商品请只扫描一次。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1395"/>
        <source>{label}: serial {shown} was not sold on order {order_no}; check the number on the item.</source>
        <translation>{label}：序列号 {shown} 不是订单 {order_no} 售出的；请核对商品上的序列号。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1396"/>
        <source>{label}: the quantity must be a whole number of at least 1, not {qty!r}.</source>
        <translation>{label}：数量必须是至少为 1 的整数，不能是 {qty!r}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1399"/>
        <source>{label}: this item is already on line {seen}; put the whole quantity on one line.</source>
        <translation>{label}：此商品已在第 {seen} 行；请把全部数量放在同一行。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1400"/>
        <source>{lines} A supervisor override with a reason is needed: ask a supervisor to take over the return.</source>
        <translation>{lines}需要主管填写理由进行政策特批：请主管接手此退货。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1401"/>
        <source>{lines} A supervisor override with a reason is needed: write why the return is accepted.</source>
        <translation>{lines}需要主管填写理由进行政策特批：请写明接受此退货的原因。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1417"/>
        <source>{message}
Technical detail: {detail}</source>
        <translation>{message}
技术细节：{detail}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1418"/>
        <source>{money} is above the automatic approval limit of {auto_approve_limit}.</source>
        <translation>{money} 超出自动审批限额 {auto_approve_limit}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1419"/>
        <source>{money} is above the clerk&apos;s limit of {creator_limit}.</source>
        <translation>{money} 超出客服的限额 {creator_limit}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1420"/>
        <source>{money} is above the supervisor limit of {limit}; a manager must approve.</source>
        <translation>{money} 超出主管限额 {limit}；须由经理审批。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1441"/>
        <source>{name} &apos;{raw}&apos; has more than two decimals</source>
        <translation>{name}“{raw}”超过两位小数</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1442"/>
        <source>{name} &apos;{raw}&apos; is not a whole number</source>
        <translation>{name}“{raw}”不是整数</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1443"/>
        <source>{name} &apos;{raw}&apos; is not an amount (write it like 12.50)</source>
        <translation>{name}“{raw}”不是金额（请写成 12.50 这样）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1444"/>
        <source>{name} &apos;{raw}&apos; is not yes or no (write yes/no, 是/否 or 1/0)</source>
        <translation>{name}“{raw}”不是是/否（请写 yes/no、是/否或 1/0）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1445"/>
        <source>{name} &apos;{text}&apos; contains blanks; a code is one word</source>
        <translation>{name}“{text}”含有空格；代码只能是一个词</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1446"/>
        <source>{name} &apos;{text}&apos; is {text_count:,} characters long; at most {limit} fit</source>
        <translation>{name}“{text}”有 {text_count:,} 个字符；最多 {limit} 个</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1447"/>
        <source>{name} &apos;{value}&apos; is {count:,} characters long; at most {limit} fit</source>
        <translation>{name}“{value}”有 {count:,} 个字符；最多 {limit} 个</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1448"/>
        <source>{name} cannot be read as an Excel workbook ({value}); open it in Excel and save it again as .xlsx.</source>
        <translation>{name} 无法作为 Excel 工作簿读取（{value}）；请在 Excel 中打开并另存为 .xlsx。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1449"/>
        <source>{name} cannot {value}: it is {value2} (set{who}{when}). From there it can: {allowed}.</source>
        <translation>{name}不能{value}：当前为{value2}（设置{who}{when}）。从该状态可以：{allowed}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1451"/>
        <source>{name} has {balance} of store credit, less than the {amount_minor} to spend. Take the rest another way.</source>
        <translation>{name} 的储值余额为 {balance}，少于要使用的 {amount_minor}。其余部分请用其他方式支付。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1452"/>
        <source>{name} holds NUL characters, so it is not a text file: save it as CSV or JSON text.</source>
        <translation>{name} 含有 NUL 字符，不是文本文件：请另存为 CSV 或 JSON 文本。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1453"/>
        <source>{name} holds no orders; nothing was imported.</source>
        <translation>{name} 中没有订单；未导入任何内容。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1454"/>
        <source>{name} holds no {kind}; nothing was imported.</source>
        <translation>{name} 中没有{kind}；未导入任何内容。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1455"/>
        <source>{name} is UTF-16 text (Excel&apos;s &quot;Unicode Text&quot;): save it as &quot;CSV UTF-8&quot; or as an Excel workbook (.xlsx) and import that.</source>
        <translation>{name} 是 UTF-16 文本（Excel 的“Unicode 文本”）：请另存为“CSV UTF-8”或 Excel 工作簿（.xlsx）后再导入。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1456"/>
        <source>{name} is UTF-8 text, not {given}: read as {given}, &apos;{original}&apos; would be stored as &apos;{garbled}&apos;. Leave out --encoding (ReturnDesk recognises UTF-8 and GB18030) or give --encoding utf-8.</source>
        <translation>{name} 是 UTF-8 文本，不是 {given}：若按 {given} 读取，“{original}”会被存成“{garbled}”。请去掉 --encoding（ReturnDesk 能识别 UTF-8 和 GB18030），或使用 --encoding utf-8。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1457"/>
        <source>{name} is a list; give one value</source>
        <translation>{name} 是列表；请只给一个值</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1458"/>
        <source>{name} is an Excel workbook or another zip file, not text: name it .xlsx (or give --format xlsx), or save it as CSV.</source>
        <translation>{name} 是 Excel 工作簿或其他 zip 文件，不是文本：请将其命名为 .xlsx（或使用 --format xlsx），或另存为 CSV。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1459"/>
        <source>{name} is an old Excel workbook (.xls): save it as .xlsx or as CSV and import that.</source>
        <translation>{name} 是旧版 Excel 工作簿（.xls）：请另存为 .xlsx 或 CSV 后再导入。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1460"/>
        <source>{name} is empty; nothing was imported.</source>
        <translation>{name} 为空；未导入任何内容。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1462"/>
        <source>{name} is missing</source>
        <translation>缺少 {name}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1463"/>
        <source>{name} is neither UTF-8 nor GB18030 text (line {line_of} cannot be read). Save it as &quot;CSV UTF-8&quot;, or give its encoding with --encoding.</source>
        <translation>{name} 既不是 UTF-8 也不是 GB18030 文本（第 {line_of} 行无法读取）。请另存为“CSV UTF-8”，或用 --encoding 指定其编码。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1464"/>
        <source>{name} is not UTF-8 text (line {line_of}); {hint}.</source>
        <translation>{name} 不是 UTF-8 文本（第 {line_of} 行）；{hint}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1465"/>
        <source>{name} is not a text or a number</source>
        <translation>{name} 不是文本或数字</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1466"/>
        <source>{name} is not an Excel workbook (.xlsx); an old .xls must be saved again as .xlsx or CSV.</source>
        <translation>{name} 不是 Excel 工作簿（.xlsx）；旧版 .xls 须另存为 .xlsx 或 CSV。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1467"/>
        <source>{name} is not {given} text (line {line_of} cannot be read); {hint}.</source>
        <translation>{name} 不是 {given} 文本（第 {line_of} 行无法读取）；{hint}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1468"/>
        <source>{name} looks like GB18030 text (Chinese as a Chinese Excel saves it), not {given}: leave out --encoding, or give --encoding gb18030.</source>
        <translation>{name} 看起来是 GB18030 文本（中文版 Excel 保存的中文），不是 {given}：请去掉 --encoding，或使用 --encoding gb18030。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1469"/>
        <source>{name} must be a whole number of at least 0, not {value!r}.</source>
        <translation>{name} 必须是至少为 0 的整数，不能是 {value!r}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1470"/>
        <source>{name} must be an amount of at least 0.00</source>
        <translation>{name} 必须是至少为 0.00 的金额</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1471"/>
        <source>{name} replaces the goods of its claims rather than crediting them; record no amount.</source>
        <translation>{name} 对退供单的商品是换货而非贷记；请不要登记金额。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1473"/>
        <source>{name} starts with a UTF-8 byte-order mark but is not UTF-8 text (line {line_of}); save it again as &quot;CSV UTF-8&quot;.</source>
        <translation>{name} 以 UTF-8 字节顺序标记开头，但不是 UTF-8 文本（第 {line_of} 行）；请重新另存为“CSV UTF-8”。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1474"/>
        <source>{name} would be refused: {count}.</source>
        <translation>{name} 将被拒收：{count}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1475"/>
        <source>{name} {raw} is below {minimum}</source>
        <translation>{name} {raw} 小于 {minimum}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1476"/>
        <source>{name} {raw} is in the future</source>
        <translation>{name} {raw} 在未来</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1477"/>
        <source>{name} {raw} is more than ReturnDesk can store (at most {max_amount})</source>
        <translation>{name} {raw} 超出 ReturnDesk 能保存的范围（最多 {max_amount}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1478"/>
        <source>{name} {raw} is more than ReturnDesk can store (at most {maximum:,})</source>
        <translation>{name} {raw} 超出 ReturnDesk 能保存的范围（最多 {maximum:,}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1479"/>
        <source>{name} {raw} is negative</source>
        <translation>{name} {raw} 为负数</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1480"/>
        <source>{name} {raw} is not a whole number</source>
        <translation>{name} {raw} 不是整数</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1483"/>
        <source>{name}: no column is mapped to {missing}; map the column that holds it (or name it {missing}).</source>
        <translation>{name}：没有列对应到 {missing}；请把包含该数据的列对应过去（或把列名改为 {missing}）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1484"/>
        <source>{name}: no column is mapped to {missing}; map the columns that hold them (or name them {missing}).</source>
        <translation>{name}：没有列对应到 {missing}；请把包含这些数据的列对应过去（或把列名改为 {missing}）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1561"/>
        <source>{u} are not fields of {kind} (the fields are {field_names})</source>
        <translation>{u} 不是{kind}的字段（字段有 {field_names}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1562"/>
        <source>{u} is not a field of {kind} (the fields are {field_names})</source>
        <translation>{u} 不是{kind}的字段（字段有 {field_names}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1481"/>
        <source>{name}, read as {read_as}, was refused: 1 problem was found, so nothing was imported. Correct the rows listed and import the file again.</source>
        <translation>{name}（按 {read_as} 读取）被拒收：发现 1 个问题，因此未导入任何内容。请更正所列的行后重新导入文件。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1397"/>
        <source>{label}: the reason &apos;{reason}&apos; allows {allowed} only, not {resolution}.</source>
        <translation>{label}：退货原因“{reason}”只允许{allowed}，不允许{resolution}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1398"/>
        <source>{label}: the reason &apos;{reason}&apos; is no longer in use; choose another.</source>
        <translation>{label}：退货原因“{reason}”已停用；请选择其他原因。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1402"/>
        <source>{line}  (set for all stations)</source>
        <translation>{line}  （所有工位的设置）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1403"/>
        <source>{line}  float {amount}, paid out {paid_out}, {closed}</source>
        <translation>{line}  备用金 {amount}，现金支出 {paid_out}，{closed}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1404"/>
        <source>{memo}: credit note</source>
        <translation>{memo}：贷项通知单</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1405"/>
        <source>{memo}: difference refunded</source>
        <translation>{memo}：退还差价</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1406"/>
        <source>{memo}: difference to collect</source>
        <translation>{memo}：应收差价</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1407"/>
        <source>{memo}: not credited</source>
        <translation>{memo}：未获贷记</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1408"/>
        <source>{memo}: parts</source>
        <translation>{memo}：配件</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1409"/>
        <source>{memo}: parts written off</source>
        <translation>{memo}：配件核销</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1410"/>
        <source>{memo}: refurbished into stock at cost</source>
        <translation>{memo}：翻新后按成本入库</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1411"/>
        <source>{memo}: refused units back in stock</source>
        <translation>{memo}：被拒商品退回库存</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1412"/>
        <source>{memo}: refused units scrapped</source>
        <translation>{memo}：被拒商品报废</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1413"/>
        <source>{memo}: replacement goods received</source>
        <translation>{memo}：收到替换商品</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1414"/>
        <source>{memo}: replacement sold</source>
        <translation>{memo}：换出商品销售</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1415"/>
        <source>{memo}: restocked at cost</source>
        <translation>{memo}：按成本重新入库</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1416"/>
        <source>{memo}: scrapped</source>
        <translation>{memo}：报废</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1421"/>
        <source>{n:,} cash shift</source>
        <translation>{n:,} 个收银班次</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1422"/>
        <source>{n:,} cash shifts</source>
        <translation>{n:,} 个收银班次</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1423"/>
        <source>{n:,} line</source>
        <translation>{n:,} 行</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1424"/>
        <source>{n:,} lines</source>
        <translation>{n:,} 行</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1425"/>
        <source>{n:,} new categories</source>
        <translation>{n:,} 个新类别</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1426"/>
        <source>{n:,} new category</source>
        <translation>{n:,} 个新类别</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1427"/>
        <source>{n:,} new customer</source>
        <translation>{n:,} 位新顾客</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1428"/>
        <source>{n:,} new customers</source>
        <translation>{n:,} 位新顾客</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1429"/>
        <source>{n:,} order</source>
        <translation>{n:,} 个订单</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1430"/>
        <source>{n:,} orders</source>
        <translation>{n:,} 个订单</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1431"/>
        <source>{n:,} problem</source>
        <translation>{n:,} 个问题</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1432"/>
        <source>{n:,} problems</source>
        <translation>{n:,} 个问题</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1433"/>
        <source>{n:,} refund</source>
        <translation>{n:,} 笔退款</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1434"/>
        <source>{n:,} refunds</source>
        <translation>{n:,} 笔退款</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1435"/>
        <source>{n:,} row</source>
        <translation>{n:,} 行</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1436"/>
        <source>{n:,} rows</source>
        <translation>{n:,} 行</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1437"/>
        <source>{n:,} session</source>
        <translation>{n:,} 个会话</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1438"/>
        <source>{n:,} sessions</source>
        <translation>{n:,} 个会话</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1439"/>
        <source>{n:,} unit</source>
        <translation>{n:,} 件</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1440"/>
        <source>{n:,} units</source>
        <translation>{n:,} 件</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1450"/>
        <source>{name} has no badge any more; signing off needs the password.</source>
        <translation>{name} 的工牌已收回；授权需使用密码。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1461"/>
        <source>{name} is fine ({read_as}): {rows:,} rows would create {creates:,}, update {updates:,} and leave {unchanged:,} as they are. Nothing was imported (--check).</source>
        <translation>{name} 没有问题（{read_as}）：{rows:,} 行将新增 {creates:,}、修改 {updates:,}、保持不变 {unchanged:,}。未导入任何内容（--check）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1472"/>
        <source>{name} signs off on a clerk&apos;s screen with this badge now (only its hash is kept).</source>
        <translation>{name} 现在可用此工牌在店员屏幕上授权（只保存其哈希值）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1482"/>
        <source>{name}, read as {read_as}, was refused: {count} problems were found, so nothing was imported. Correct the rows listed and import the file again.</source>
        <translation>{name}（按 {read_as} 读取）被拒收：发现 {count} 个问题，因此未导入任何内容。请更正所列的行后重新导入文件。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1485"/>
        <source>{name}: no order lines</source>
        <translation>{name}：没有订单行</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1486"/>
        <source>{name}: no {kind}</source>
        <translation>{name}：没有{kind}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1487"/>
        <source>{name}: the file is empty</source>
        <translation>{name}：文件为空</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1488"/>
        <source>{n} days</source>
        <translation>{n} 天</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1489"/>
        <source>{n} overdue return</source>
        <translation>{n} 张逾期退货单</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1490"/>
        <source>{n} overdue returns</source>
        <translation>{n} 张逾期退货单</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1491"/>
        <source>{n} settled return</source>
        <translation>{n} 张已结清退货单</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1492"/>
        <source>{n} settled returns</source>
        <translation>{n} 张已结清退货单</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1493"/>
        <source>{operations} operations each, at most {seconds}</source>
        <translation>每个 {operations} 次操作，最长 {seconds}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1494"/>
        <source>{order_no} is an order number, and no such order exists; scan the RMA label, or record the parcel as a parcel without RMA.</source>
        <translation>{order_no} 是订单号，但没有这个订单；请扫描退货标签，或把包裹登记为无退货单包裹。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1495"/>
        <source>{order_no} is an order number, not an RMA label, and the order has no return waiting for its parcel. Record the parcel as a parcel without RMA.</source>
        <translation>{order_no} 是订单号，不是退货标签，且该订单没有等待包裹的退货单。请把包裹登记为无退货单包裹。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1496"/>
        <source>{order_no} is an order number, not an RMA label. Returns of that order waiting for their parcel: {listed} and more. Scan the RMA label or choose one of them.</source>
        <translation>{order_no} 是订单号，不是退货标签。该订单等待包裹的退货单：{listed} 等。请扫描退货标签或从中选择一张。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1497"/>
        <source>{order_no} is an order number, not an RMA label. Returns of that order waiting for their parcel: {listed}. Scan the RMA label or choose one of them.</source>
        <translation>{order_no} 是订单号，不是退货标签。该订单等待包裹的退货单：{listed}。请扫描退货标签或从中选择一张。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1498"/>
        <source>{order_no} is an order number, not an item; scan the item&apos;s own barcode.</source>
        <translation>{order_no} 是订单号，不是商品；请扫描商品本身的条码。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1499"/>
        <source>{path} is a folder, not a file.</source>
        <translation>{path} 是文件夹，不是文件。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1500"/>
        <source>{problems} in the books:</source>
        <translation>账目中有 {problems}：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1501"/>
        <source>{problem}; nothing about the login was changed.</source>
        <translation>{problem}；登录账号未做任何更改。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1502"/>
        <source>{prog}: interrupted; the transaction in progress was rolled back.</source>
        <translation>{prog}：已中断；进行中的事务已回滚。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1503"/>
        <source>{prog}: unexpected error (this is a bug; the transaction in progress was rolled back):</source>
        <translation>{prog}：意外错误（这是程序缺陷；进行中的事务已回滚）：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1504"/>
        <source>{p} cannot be written: {value}.</source>
        <translation>无法写入 {p}：{value}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1505"/>
        <source>{quantity} units need {quantity} serial numbers; {serial_list_count} were given.</source>
        <translation>{quantity} 件需要 {quantity} 个序列号；只给了 {serial_list_count} 个。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1506"/>
        <source>{quantity} were bought on {order_label} and {qty_returned} are returned already; return {rma_no} accepts {qty_accepted} more. Nothing was refunded.</source>
        <translation>{order_label} 购买了 {quantity} 件，已退 {qty_returned} 件；退货单 {rma_no} 还可接收 {qty_accepted} 件。未退款。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1507"/>
        <source>{quantity} x {sku} of return {rma_no} were put into {location} stock, and only {have} are there now; the goods cannot be handed back. Nothing was changed; find the units first.</source>
        <translation>退货单 {rma_no} 的 {quantity} x {sku} 已放入{location}库存，现在那里只有 {have} 件；无法退还商品。未做任何更改；请先找到这些商品。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1508"/>
        <source>{reason} A supervisor override is needed.</source>
        <translation>{reason}需要主管进行政策特批。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1509"/>
        <source>{requested_qty} requested, but nothing of this line can be returned any more: every unit bought is already returned or in process. This cannot be overridden.</source>
        <translation>申请 {requested_qty} 件，但此行已没有可退的商品：购买的每一件都已退货或正在处理。此项不能特批。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1510"/>
        <source>{requested_qty} requested, but only {returnable_qty} can still be returned; reduce the quantity. A quantity above what is returnable cannot be overridden.</source>
        <translation>申请 {requested_qty} 件，但只有 {returnable_qty} 件还可以退；请减少数量。超出可退数量的部分不能特批。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1511"/>
        <source>{rma} expired on {when} (it had to arrive by {deadline:%Y-%m-%d}); do not accept the parcel unless customer service issues a new RMA.</source>
        <translation>{rma} 已于 {when} 过期（应在 {deadline:%Y-%m-%d} 前到达）；除非客服重新开具退货单，否则不要接收该包裹。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1512"/>
        <source>{rma} expired on {when}; do not accept the parcel unless customer service issues a new RMA.</source>
        <translation>{rma} 已于 {when} 过期；除非客服重新开具退货单，否则不要接收该包裹。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1513"/>
        <source>{rma} inspected: {parts}.</source>
        <translation>{rma} 质检完成：{parts}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1514"/>
        <source>{rma} inspected; the refund of {amount} waits for {level} approval.</source>
        <translation>{rma} 已质检；{amount} 的退款等待{level}审批。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1515"/>
        <source>{rma} inspected; the refund of {amount} waits for {level} approval: {why}</source>
        <translation>{rma} 已质检；{amount} 的退款等待{level}审批：{why}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1516"/>
        <source>{rma} is an RMA label, not an item. Finish this return first, or open that return to inspect it.</source>
        <translation>{rma} 是退货标签，不是商品。请先完成当前退货单，或打开那张退货单进行质检。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1517"/>
        <source>{rma} is approved for an exchange worth {amount}: the customer asked for an exchange, so nothing is refunded. Choose the replacement goods now, or record that the customer changed their mind.</source>
        <translation>{rma} 已批准换货，价值 {amount}：顾客要求换货，因此不退款。请现在选择换货商品，或记录顾客改变了主意。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1518"/>
        <source>{rma} is approved for {amount}, but {blocked} The refund can be issued from the return&apos;s page.</source>
        <translation>{rma} 已批准 {amount}，但{blocked}可在退货单页面办理退款。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1519"/>
        <source>{rma} is cancelled ({set_by_on}); do not accept the parcel.</source>
        <translation>{rma} 已取消（{set_by_on}）；不要接收该包裹。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1520"/>
        <source>{rma} is not a known RMA. Check the number; a parcel without a known RMA is recorded as a parcel without RMA.</source>
        <translation>{rma} 不是已知的退货单号。请检查单号；没有已知退货单号的包裹将登记为无退货单包裹。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1521"/>
        <source>{rma} is not a known RMA; do not accept the parcel as a return. Put it aside and record it as a parcel without RMA.</source>
        <translation>{rma} 不是已知的退货单；不要把该包裹当作退货接收。请放到一边并登记为无退货单包裹。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1522"/>
        <source>{rma} is not authorized yet (it is {status}, {set_by_on}); do not accept the parcel until customer service authorizes it.</source>
        <translation>{rma} 尚未授权（当前为{status}，{set_by_on}）；客服授权之前不要接收该包裹。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1523"/>
        <source>{rma} received at the counter but not inspected: {gaps}. Scan the serial numbers at an inspection station.</source>
        <translation>{rma} 已在柜台收货，但未质检：{gaps}。请在质检工位扫描序列号。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1524"/>
        <source>{rma} received at the counter; the goods wait in the inspection area to be inspected at a station.</source>
        <translation>{rma} 已在柜台收货；商品放在质检区，等待在工位质检。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1525"/>
        <source>{rma} refunded: {amount} by {method} ({refund_no}, credit note {credit_note}).</source>
        <translation>{rma} 已退款：{amount}，方式：{method}（{refund_no}，贷项通知单 {credit_note}）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1526"/>
        <source>{rma} was already inspected ({inspected}). Do not inspect it again; a second parcel for it is recorded as a parcel without RMA.</source>
        <translation>{rma} 已质检（{inspected}）。不要再次质检；它的第二个包裹登记为无退货单包裹。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1527"/>
        <source>{rma} was already inspected ({inspected}); it is now {status}. Do not inspect it again; a second parcel for it is recorded as a parcel without RMA.</source>
        <translation>{rma} 已质检（{inspected}），现在为{status}。不要再次质检；它的第二个包裹登记为无退货单包裹。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1528"/>
        <source>{rma} was rejected ({set_by_on}); do not accept the parcel.</source>
        <translation>{rma} 已被驳回（{set_by_on}）；不要接收该包裹。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1529"/>
        <source>{serials_count} serial numbers for a quantity of {quantity}</source>
        <translation>数量为 {quantity}，却有 {serials_count} 个序列号</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1530"/>
        <source>{sessions} ended; those stations show the sign-in window at their next request.</source>
        <translation>已结束 {sessions}；这些工位在下次请求时将显示登录窗口。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1531"/>
        <source>{sessions} of {username} ended; those stations show the sign-in window at their next request.</source>
        <translation>已结束 {username} 的 {sessions}；这些工位在下次请求时将显示登录窗口。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1532"/>
        <source>{shifts} opened from {start} to {end}.</source>
        <translation>{start} 至 {end} 开班的 {shifts}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1533"/>
        <source>{sku} ({name}) has no supplier to return it to; choose refurbish or scrap.</source>
        <translation>{sku}（{name}）没有可退回的供应商；请选择翻新或报废。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1534"/>
        <source>{sku} ({name}) is serial-tracked: scan or type the serial number of this unit.</source>
        <translation>{sku}（{name}）按序列号管理：请扫描或输入这一件的序列号。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1535"/>
        <source>{sku} has no supplier in the catalogue, so no claim can be made for it; enter its supplier in the master data first.</source>
        <translation>{sku} 在商品目录中没有供应商，因此无法为其开退供单；请先在主数据中填写其供应商。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1536"/>
        <source>{sku} of return {rma_no} went {disposition_words}, and no unit of it is there now: another desk has reserved or moved it. The unit cannot be {doing}; nothing was changed. Find the unit and bring it back first.</source>
        <translation>退货单 {rma_no} 的 {sku} 已{disposition_words}，而现在那里没有这件商品：另一工位已预留或移走了它。无法{doing}；未做任何更改。请先找到该商品并放回。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1537"/>
        <source>{sku} {name} can never be returned.</source>
        <translation>{sku} {name} 永远不能退货。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1538"/>
        <source>{sku} {name} is serial-numbered: without a receipt its serial number cannot be checked against a sale, so it is not taken back. Find the customer&apos;s sale instead.</source>
        <translation>{sku} {name} 按序列号管理：没有小票就无法核对其序列号与销售记录，因此不予退货。请查找顾客的购买记录。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1539"/>
        <source>{sku} {name} needs {qty_authorized} serial number(s), {given_count} given</source>
        <translation>{sku} {name} 需要 {qty_authorized} 个序列号，只给了 {given_count} 个</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1540"/>
        <source>{sku} {name}: {qty} wanted, only {have} available.</source>
        <translation>{sku} {name}：需要 {qty} 件，只有 {have} 件可用。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1541"/>
        <source>{subject} may not {doing}.</source>
        <translation>{subject}不允许{doing}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1542"/>
        <source>{subject} may not {value}.</source>
        <translation>{subject}不允许{value}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1543"/>
        <source>{subject} may not {value}. Ask a user with that right.</source>
        <translation>{subject}不允许{value}。请找有此权限的用户。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1544"/>
        <source>{supplier_name} has no return address; enter it in the supplier&apos;s master data first.</source>
        <translation>{supplier_name} 没有退货地址；请先在供应商主数据中填写。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1545"/>
        <source>{tag} was finished at another station a moment ago; scan it again.</source>
        <translation>{tag} 刚刚已在另一个工作站处理完毕；请重新扫描。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1546"/>
        <source>{tag} was {status} already; scan another unit.</source>
        <translation>{tag} 已经是{status}状态；请扫描其他商品。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1547"/>
        <source>{text} is not a valid GTIN: the check digit does not match; rescan or type it again.</source>
        <translation>{text} 不是有效的 GTIN：校验位不符；请重新扫描或输入。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1548"/>
        <source>{text} is not a valid {kind}: its check digit should be {check}. Check the product&apos;s barcode.</source>
        <translation>{text} 不是有效的 {kind}：其校验位应为 {check}。请检查商品条码。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1549"/>
        <source>{title} (reprint {again})</source>
        <translation>{title}（重印 {again}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1550"/>
        <source>{title} saved as {path}.</source>
        <translation>{title} 已保存为 {path}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1551"/>
        <source>{title} sent to {destination} (job {job_id}).</source>
        <translation>{title} 已发送到{destination}（作业 {job_id}）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1552"/>
        <source>{title} sent to {destination}.</source>
        <translation>{title} 已发送到{destination}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1553"/>
        <source>{title} was not rendered as ZPL; nothing was sent to the printer.</source>
        <translation>{title} 未生成 ZPL；未向打印机发送任何内容。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1554"/>
        <source>{twice} are mapped to more than one column; map each field to one column.</source>
        <translation>{twice} 映射到了多个列；每个字段只能映射一列。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1555"/>
        <source>{twice} is mapped to more than one column.</source>
        <translation>{twice} 映射到了多个列。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1556"/>
        <source>{twice} is mapped to more than one column; map each field to one column.</source>
        <translation>{twice} 映射到了多个列；每个字段只能映射一列。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1557"/>
        <source>{units} units are recorded as {status} in the refurbish queue, but the stock ledger moved {moved} from refurbishment to {location}.</source>
        <translation>翻新队列中记录为 {status} 的有 {units} 件，但库存台账从翻新区移到 {location} 的是 {moved} 件。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1558"/>
        <source>{units} units went to suppliers by the stock ledger, but the claims account for {kept} (shipped and awaiting an answer, or accepted for credit).</source>
        <translation>按库存台账有 {units} 件退到供应商，但退供单只对应 {kept} 件（已发货待答复，或已接受贷记）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1559"/>
        <source>{unknown} is not a unit of claim {claim_no}.</source>
        <translation>{unknown} 不是退供单 {claim_no} 中的商品。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1560"/>
        <source>{unknown} is not part of the company profile; the fields are {fields}.</source>
        <translation>{unknown} 不属于公司资料；可用字段为 {fields}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1563"/>
        <source>{value!r} is not a {name}; choose one of {allowed}.</source>
        <translation>{value!r} 不是有效的{name}；请选择以下之一：{allowed}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1564"/>
        <source>{value} is negative</source>
        <translation>{value} 是负数</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1565"/>
        <source>{value} may set the {what} of the station they are signed in at{own} only, not of {station_code}. Ask an administrator.</source>
        <translation>{value}只能设置自己所登录工位{own}的{what}，不能设置 {station_code} 的。请联系管理员。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1566"/>
        <source>{what} &apos;{text}&apos; contains control characters (such as NUL) that no one types; type or scan it again.</source>
        <translation>{what}“{text}”含有无法输入的控制字符（如 NUL）；请重新输入或扫描。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1567"/>
        <source>{what} contains a NUL character; type it again.</source>
        <translation>{what}包含空字符（NUL）；请重新输入。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1568"/>
        <source>{what} is empty; type or scan the product&apos;s SKU.</source>
        <translation>{what}为空；请输入或扫描商品的 SKU。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1569"/>
        <source>{what} is missing; type or scan it.</source>
        <translation>缺少{what}；请输入或扫描。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1570"/>
        <source>{what} is {count:,} characters long; at most {max_length} are accepted (it starts &apos;{value}&apos;).</source>
        <translation>{what}有 {count:,} 个字符；最多接受 {max_length} 个（开头为“{value}”）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1571"/>
        <source>{what} is {length} characters long; keep it to {limit}.</source>
        <translation>{what}长 {length} 个字符；请控制在 {limit} 个以内。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1572"/>
        <source>{what} is {text_count:,} characters long; at most {max_length} are accepted (it starts &apos;{text}&apos;).</source>
        <translation>{what}有 {text_count:,} 个字符；最多接受 {max_length} 个（开头为“{text}”）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1573"/>
        <source>{what} must be text, not {name__}.</source>
        <translation>{what}必须是文本，不能是 {name__}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1574"/>
        <source>{what} must be text.</source>
        <translation>{what}必须是文字。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1575"/>
        <source>{where}: barcode {code} belongs to product {owner}</source>
        <translation>{where}：条码 {code} 属于商品 {owner}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1576"/>
        <source>{where}: barcode {code} is given to {given_by} as well</source>
        <translation>{where}：条码 {code} 也分配给了 {given_by}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1577"/>
        <source>{where}: category &apos;{text}&apos; is longer than 32 characters</source>
        <translation>{where}：品类“{text}”超过 32 个字符</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1578"/>
        <source>{where}: category {key} is new and needs name_en or name_zh</source>
        <translation>{where}：品类 {key} 是新的，需要 name_en 或 name_zh</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1579"/>
        <source>{where}: is not an object</source>
        <translation>{where}：不是对象</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1580"/>
        <source>{where}: product {key} is new and needs {missing}</source>
        <translation>{where}：商品 {key} 是新的，需要 {missing}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1581"/>
        <source>{where}: supplier &apos;{values}&apos; is not known; import the suppliers first</source>
        <translation>{where}：供应商“{values}”未知；请先导入供应商</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1582"/>
        <source>{where}: {kind} {key} is new and needs name</source>
        <translation>{where}：{kind} {key} 是新的，需要名称</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1583"/>
        <source>{who} saved the policy draft at {updated_at:%Y-%m-%d %H:%M} UTC since you opened it; nothing was saved. Reload the draft and make your changes again.</source>
        <translation>您打开政策草稿后，{who} 于 {updated_at:%Y-%m-%d %H:%M} UTC 保存了它；未保存任何内容。请重新载入草稿并重新修改。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/service_messages.py" line="1584"/>
        <source>{why} This unit cannot be accepted on this return: send it back to the customer (disposition &apos;return to customer&apos;), or put it aside for a supervisor.</source>
        <translation>{why} 此商品不能在本退货单上接收：请退还顾客（处置方式“退还顾客”），或留待主管处理。</translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/sign_in.py" line="159"/>
        <source>Sign in to ReturnDesk</source>
        <translation>登录 ReturnDesk</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/sign_in.py" line="160"/>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/sign_in.py" line="161"/>
        <source>&amp;User name:</source>
        <translation>用户名(&amp;U)：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/sign_in.py" line="162"/>
        <source>&amp;Password:</source>
        <translation>密码(&amp;P)：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/sign_in.py" line="163"/>
        <source>&amp;Sign in</source>
        <translation>登录(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/sign_in.py" line="164"/>
        <source>Sign in (Enter)</source>
        <translation>登录（回车）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/sign_in.py" line="166"/>
        <source>This is a demo database. Click a user to fill in the form:</source>
        <translation>这是演示数据库。点击一个用户即可填入表单：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/sign_in.py" line="167"/>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/sign_in.py" line="167"/>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/sign_in.py" line="167"/>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/sign_in.py" line="172"/>
        <source>Database: {database}</source>
        <translation>数据库：{database}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/sign_in.py" line="259"/>
        <source>This account is locked.</source>
        <translation>此账户已锁定。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/sign_in.py" line="261"/>
        <source>Sign-in failed.</source>
        <translation>登录失败。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/sign_in.py" line="263"/>
        <location filename="../../desktop/returndesk/ui/dialogs/sign_in.py" line="265"/>
        <source>Cannot sign in.</source>
        <translation>无法登录。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/sign_in.py" line="266"/>
        <source>signing in</source>
        <translation>登录</translation>
    </message>
</context>
<context>
    <name>SiteDialog</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/places.py" line="117"/>
        <source>Site {code}</source>
        <translation>门店 {code}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/places.py" line="117"/>
        <source>Add site</source>
        <translation>添加门店</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/places.py" line="133"/>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/places.py" line="134"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/places.py" line="135"/>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/places.py" line="136"/>
        <source>Time zone</source>
        <translation>时区</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/places.py" line="137"/>
        <source>Return address</source>
        <translation>退货地址</translation>
    </message>
</context>
<context>
    <name>SitesTab</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/places.py" line="44"/>
        <source>Shop</source>
        <translation>门店</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/places.py" line="45"/>
        <source>Warehouse</source>
        <translation>仓库</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/places.py" line="295"/>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/places.py" line="295"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/places.py" line="295"/>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/places.py" line="295"/>
        <source>Time zone</source>
        <translation>时区</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/places.py" line="296"/>
        <source>Return address</source>
        <translation>退货地址</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/places.py" line="297"/>
        <source>&amp;Add site…</source>
        <translation>添加门店(&amp;A)…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/places.py" line="298"/>
        <source>&amp;Change…</source>
        <translation>修改(&amp;C)…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/places.py" line="310"/>
        <source>* (all sites)</source>
        <translation>*（所有门店）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/places.py" line="335"/>
        <source>Site {code} saved.</source>
        <translation>门店 {code} 已保存。</translation>
    </message>
</context>
<context>
    <name>StageTargetsDialog</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="152"/>
        <source>Stage targets</source>
        <translation>各阶段目标</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="156"/>
        <source>How many hours a return may wait in each stage before the ageing view counts it as late.</source>
        <translation>退货单在各阶段最多可等待的小时数，超过后在账龄视图中计为超时。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="163"/>
        <source> h</source>
        <translation> 小时</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="165"/>
        <source>Default: {hours} h</source>
        <translation>默认：{hours} 小时</translation>
    </message>
</context>
<context>
    <name>StationDialog</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/places.py" line="76"/>
        <source>Station {code}</source>
        <translation>工位 {code}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/places.py" line="76"/>
        <source>Add station</source>
        <translation>添加工位</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/places.py" line="89"/>
        <source>(no site: the installation&apos;s zone)</source>
        <translation>（无门店：使用系统时区）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/places.py" line="96"/>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/places.py" line="97"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/places.py" line="98"/>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/places.py" line="99"/>
        <source>Site</source>
        <translation>门店</translation>
    </message>
</context>
<context>
    <name>StationProfile</name>
    <message>
        <location filename="../../desktop/returndesk/ui/settings.py" line="41"/>
        <source>Service counter</source>
        <translation>服务柜台</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/settings.py" line="42"/>
        <source>Inspection station</source>
        <translation>质检工位</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/settings.py" line="43"/>
        <source>Supervisor workstation</source>
        <translation>主管工位</translation>
    </message>
</context>
<context>
    <name>StationSettingsDialog</name>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/station.py" line="112"/>
        <source>Station settings</source>
        <translation>工位设置</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/station.py" line="114"/>
        <source>These settings belong to this computer. The profile chooses the screen shown after sign-in; both apply from the next sign-in.</source>
        <translation>这些设置只属于本机。工位类型决定登录后显示的界面；两项设置都在下次登录时生效。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/station.py" line="116"/>
        <source>Station &amp;profile:</source>
        <translation>工位类型(&amp;P)：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/station.py" line="117"/>
        <source>Station &amp;name:</source>
        <translation>工位名称(&amp;N)：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/station.py" line="118"/>
        <source>&amp;Site code:</source>
        <translation>门店/仓库代码(&amp;S)：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/station.py" line="119"/>
        <source>shop or warehouse code, e.g. SH01 (blank: the whole installation)</source>
        <translation>门店或仓库代码，例如 SH01（留空：整个系统）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/station.py" line="120"/>
        <source>&amp;Time zone:</source>
        <translation>时区(&amp;T)：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/station.py" line="122"/>
        <source>The site&apos;s time zone applies at once to every station of the site: return windows count its calendar days, and screens and documents show its time.</source>
        <translation>所在地的时区立即适用于该地所有工位：退货期限按其日历日计算，界面和单据显示其时间。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/station.py" line="124"/>
        <source>Only an administrator can change the site and its time zone: they decide the return windows.</source>
        <translation>只有管理员可以更改门店/仓库及其时区：它们决定退货期限。</translation>
    </message>
</context>
<context>
    <name>StationsTab</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/places.py" line="38"/>
        <source>Counter</source>
        <translation>柜台</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/places.py" line="39"/>
        <source>Inspection station</source>
        <translation>质检工位</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/places.py" line="40"/>
        <source>Supervisor workstation</source>
        <translation>主管工作台</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/places.py" line="41"/>
        <source>Other station</source>
        <translation>其他工位</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/places.py" line="198"/>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/places.py" line="198"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/places.py" line="198"/>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/places.py" line="198"/>
        <source>Site</source>
        <translation>门店</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/places.py" line="199"/>
        <source>Printers</source>
        <translation>打印机</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/places.py" line="200"/>
        <source>&amp;Add station…</source>
        <translation>添加工位(&amp;A)…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/places.py" line="201"/>
        <source>&amp;Change…</source>
        <translation>修改(&amp;C)…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/places.py" line="202"/>
        <source>&amp;Printers…</source>
        <translation>打印机(&amp;P)…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/places.py" line="220"/>
        <source>as for all stations</source>
        <translation>与所有工位相同</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/places.py" line="245"/>
        <source>Station {code} saved.</source>
        <translation>工位 {code} 已保存。</translation>
    </message>
</context>
<context>
    <name>SupervisorSignOffDialog</name>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/sign_off.py" line="140"/>
        <source>Supervisor sign-off</source>
        <translation>主管授权</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/sign_off.py" line="142"/>
        <source>A supervisor authorises this on your screen: their user name and password, or a scan of their badge. You stay signed in; the supervisor is recorded as the approver.</source>
        <translation>由主管在您的屏幕上授权：输入其用户名和密码，或扫描其工牌。您无需退出登录；主管将被记录为批准人。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/sign_off.py" line="144"/>
        <source>Supervisor &amp;user name:</source>
        <translation>主管用户名(&amp;U)：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/sign_off.py" line="145"/>
        <source>&amp;Password:</source>
        <translation>密码(&amp;P)：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/sign_off.py" line="146"/>
        <source>or scan the &amp;badge:</source>
        <translation>或扫描工牌(&amp;B)：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/sign_off.py" line="147"/>
        <source>Scan the supervisor&apos;s badge</source>
        <translation>扫描主管工牌</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/sign_off.py" line="148"/>
        <source>Sign off</source>
        <translation>授权</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/sign_off.py" line="149"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/sign_off.py" line="189"/>
        <source>Type the supervisor&apos;s user name and password, or scan their badge.</source>
        <translation>请输入主管的用户名和密码，或扫描其工牌。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/sign_off.py" line="194"/>
        <source>Checking…</source>
        <translation>正在核对…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/sign_off.py" line="211"/>
        <location filename="../../desktop/returndesk/ui/dialogs/sign_off.py" line="213"/>
        <source>signing off</source>
        <translation>主管授权</translation>
    </message>
</context>
<context>
    <name>TimelineAction</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="522"/>
        <source>Return created</source>
        <translation>创建退货单</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="523"/>
        <source>Submitted</source>
        <translation>提交</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="524"/>
        <source>Authorized</source>
        <translation>授权</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="525"/>
        <source>Request rejected</source>
        <translation>申请被拒</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="526"/>
        <source>Customer asked for information</source>
        <translation>已请顾客补充信息</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="527"/>
        <source>Customer answered</source>
        <translation>顾客已回复</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="528"/>
        <source>Label sent to the web shop</source>
        <translation>标签已发送至网店</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="529"/>
        <source>Cancelled</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="530"/>
        <source>Expired</source>
        <translation>过期</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="531"/>
        <source>Parcel received</source>
        <translation>收到包裹</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="532"/>
        <source>Unit inspected</source>
        <translation>质检一件</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="533"/>
        <source>Unit changed</source>
        <translation>修改质检</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="534"/>
        <source>Unit removed</source>
        <translation>撤销质检</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="535"/>
        <source>Line closed short</source>
        <translation>按短收关闭明细</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="536"/>
        <source>Inspection completed</source>
        <translation>质检完成</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="537"/>
        <source>Routed for approval</source>
        <translation>提交审批</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="538"/>
        <source>Approved automatically</source>
        <translation>自动批准</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="539"/>
        <source>Refund approved</source>
        <translation>批准退款</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="540"/>
        <source>Policy overridden</source>
        <translation>政策特批</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="541"/>
        <source>Refund rejected</source>
        <translation>驳回退款</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="542"/>
        <source>Refund issued</source>
        <translation>办理退款</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="543"/>
        <source>Exchanged</source>
        <translation>换货</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="544"/>
        <source>Closed</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="545"/>
        <source>Held quantity released</source>
        <translation>释放占用数量</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="546"/>
        <source>Request reopened</source>
        <translation>申请已重新打开</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="547"/>
        <source>Quantity held again</source>
        <translation>重新占用数量</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="548"/>
        <source>Replacement shipped</source>
        <translation>换货商品发出</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="549"/>
        <source>Replacement cancelled</source>
        <translation>换货单取消</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="550"/>
        <source>Replacement to be shipped</source>
        <translation>换货商品待寄出</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="551"/>
        <source>Difference collected</source>
        <translation>已收取差额</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="552"/>
        <source>Customer chose a refund instead of an exchange</source>
        <translation>顾客改为退款，不再换货</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="553"/>
        <source>Signed off by a supervisor at the counter</source>
        <translation>主管在柜台签字确认</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="559"/>
        <source>stock reserved</source>
        <translation>已预留库存</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="560"/>
        <source>handed over</source>
        <translation>已交付</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="561"/>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="585"/>
        <source>{before} → {after}</source>
        <translation>{before} → {after}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="591"/>
        <source>line {line}</source>
        <translation>第{line}行</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="597"/>
        <source>grade {grade}</source>
        <translation>等级{grade}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="601"/>
        <source>, </source>
        <translation>，</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="603"/>
        <source>{level} approval</source>
        <translation>{level}审批</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="615"/>
        <source>“{text}”</source>
        <translation>“{text}”</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="616"/>
        <source> · </source>
        <translation> · </translation>
    </message>
</context>
<context>
    <name>ToPayScreen</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/to_pay/screen.py" line="128"/>
        <source>Refunds to pay</source>
        <translation>待退款</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/to_pay/screen.py" line="129"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/to_pay/screen.py" line="130"/>
        <source>Read the worklist again ({key})</source>
        <translation>重新读取待办列表（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/to_pay/screen.py" line="132"/>
        <source>Longest waiting first. Up/Down choose a return, Enter pays it.</source>
        <translation>等待最久的在前。上下键选择退货，回车退款。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/to_pay/screen.py" line="133"/>
        <source>Choose a return in the worklist to pay it.</source>
        <translation>在待办列表中选择一条退货进行退款。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/to_pay/screen.py" line="135"/>
        <source>Lines</source>
        <translation>明细</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/to_pay/screen.py" line="138"/>
        <source>Refund &amp;method ({key}):</source>
        <translation>退款方式（{key}）(&amp;M)：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/to_pay/screen.py" line="139"/>
        <source>Issue refund ({key})</source>
        <translation>退款（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/to_pay/screen.py" line="140"/>
        <source>Print receipt ({key})</source>
        <translation>打印小票（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/to_pay/screen.py" line="141"/>
        <source>Print credit note ({key})</source>
        <translation>打印贷项通知单（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/to_pay/screen.py" line="157"/>
        <source>Reading the worklist…</source>
        <translation>正在读取待办列表…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/to_pay/screen.py" line="161"/>
        <source>Every approved return is paid.</source>
        <translation>所有已批准的退货均已退款。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/to_pay/screen.py" line="167"/>
        <source>Returns to pay: {count}, together {amount}.</source>
        <translation>待退款：{count} 张，共 {amount}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/to_pay/screen.py" line="169"/>
        <source>Returns shown: {count}; scroll down for more.</source>
        <translation>已显示退货：{count} 张；向下滚动查看更多。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/to_pay/screen.py" line="202"/>
        <source>Walk-in customer</source>
        <translation>到店顾客</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/to_pay/screen.py" line="205"/>
        <source>automatically at inspection · {when}</source>
        <translation>质检时自动批准 · {when}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/to_pay/screen.py" line="207"/>
        <source>{who} ({level}) · {when}</source>
        <translation>{who}（{level}）· {when}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/to_pay/screen.py" line="214"/>
        <source>Customer</source>
        <translation>顾客</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/to_pay/screen.py" line="215"/>
        <source>Order</source>
        <translation>订单</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/to_pay/screen.py" line="216"/>
        <source>Channel</source>
        <translation>渠道</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/to_pay/screen.py" line="216"/>
        <source>At the counter</source>
        <translation>柜台</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/to_pay/screen.py" line="217"/>
        <source>Phone or online (parcel)</source>
        <translation>电话或线上（包裹寄回）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/to_pay/screen.py" line="218"/>
        <source>Approved</source>
        <translation>批准</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/to_pay/screen.py" line="219"/>
        <source>Customer chose</source>
        <translation>顾客选择</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/to_pay/screen.py" line="222"/>
        <source>{number}: {amount} by {method}, {who} at {when}</source>
        <translation>{number}：{amount}，{method}，{who} 于 {when}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/to_pay/screen.py" line="226"/>
        <source>credit note {number}</source>
        <translation>贷项通知单 {number}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/to_pay/screen.py" line="227"/>
        <source>Refund</source>
        <translation>退款</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/to_pay/screen.py" line="250"/>
        <source>Pay back {amount} by the chosen method ({key})</source>
        <translation>按所选方式退还 {amount}（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/to_pay/screen.py" line="253"/>
        <source>Your role may not issue refunds.</source>
        <translation>您的角色无权退款。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/to_pay/screen.py" line="255"/>
        <source>The refund was issued already.</source>
        <translation>该退款已办理。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/to_pay/screen.py" line="257"/>
        <source>Only an approved return is paid here.</source>
        <translation>此处只为已批准的退货退款。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/to_pay/screen.py" line="262"/>
        <source>Print the receipt of this refund</source>
        <translation>打印本次退款的小票</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/to_pay/screen.py" line="263"/>
        <source>The receipt is printed once the refund is issued.</source>
        <translation>退款办理后才能打印小票。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/to_pay/screen.py" line="268"/>
        <source>Print credit note {number}</source>
        <translation>打印贷项通知单 {number}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/to_pay/screen.py" line="269"/>
        <source>The credit note exists once the refund is issued.</source>
        <translation>退款办理后才有贷项通知单。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/to_pay/screen.py" line="271"/>
        <source>Paid. Print the receipt and the credit note for the customer.</source>
        <translation>已退款。请为顾客打印小票和贷项通知单。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/to_pay/screen.py" line="273"/>
        <source>Approved: issue the refund of {amount}.</source>
        <translation>已批准：请办理 {amount} 的退款。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/to_pay/screen.py" line="292"/>
        <source>Refund {number} of {amount} issued by {method}.</source>
        <translation>退款 {number}：{amount}，已按{method}办理。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/to_pay/screen.py" line="293"/>
        <source>Print the receipt ({receipt}) or the credit note {number} ({key}).</source>
        <translation>可打印小票（{receipt}）或贷项通知单 {number}（{key}）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/to_pay/screen.py" line="285"/>
        <source>issuing the refund</source>
        <translation>办理退款</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/to_pay/screen.py" line="314"/>
        <source>Printing…</source>
        <translation>正在打印…</translation>
    </message>
</context>
<context>
    <name>ToPayTableModel</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/to_pay/models.py" line="53"/>
        <source>Walk-in customer</source>
        <translation>到店顾客</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/to_pay/models.py" line="56"/>
        <source>Automatically</source>
        <translation>自动批准</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/to_pay/models.py" line="58"/>
        <source>Counter</source>
        <translation>柜台</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/to_pay/models.py" line="58"/>
        <source>Parcel</source>
        <translation>包裹</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/to_pay/models.py" line="68"/>
        <source>{rma} · order {order} · approved {when}</source>
        <translation>{rma} · 订单 {order} · 批准于 {when}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/to_pay/models.py" line="78"/>
        <source>Waiting</source>
        <translation>等待</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/to_pay/models.py" line="78"/>
        <source>RMA · customer</source>
        <translation>退货单 · 顾客</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/to_pay/models.py" line="78"/>
        <source>Approved</source>
        <translation>批准</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/to_pay/models.py" line="78"/>
        <source>Method</source>
        <translation>方式</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/to_pay/models.py" line="79"/>
        <source>Refund</source>
        <translation>退款</translation>
    </message>
</context>
<context>
    <name>UnexpectedParcelDialog</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/parcel.py" line="115"/>
        <source>Parcel without RMA</source>
        <translation>无退货单包裹</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/parcel.py" line="117"/>
        <source>Write down what identifies the parcel, so that it is never lost: at least one of the fields. Scan the carrier&apos;s barcode into the tracking number.</source>
        <translation>记下能识别该包裹的信息，确保不会丢失：至少填写一项。可将快递单条码扫入运单号。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/parcel.py" line="119"/>
        <source>&amp;Tracking number</source>
        <translation>运单号(&amp;T)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/parcel.py" line="121"/>
        <source>&amp;Sender</source>
        <translation>寄件人(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/parcel.py" line="123"/>
        <source>&amp;Order number</source>
        <translation>订单号(&amp;O)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/parcel.py" line="125"/>
        <source>&amp;Contents</source>
        <translation>内容(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/parcel.py" line="127"/>
        <source>Scan or type, then Enter</source>
        <translation>扫描或输入后按回车</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/parcel.py" line="128"/>
        <source>From the packing slip, e.g. SO-1042</source>
        <translation>见装箱单，例如 SO-1042</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/parcel.py" line="129"/>
        <source>Name and city on the parcel</source>
        <translation>包裹上的姓名和城市</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/parcel.py" line="130"/>
        <source>What is inside, e.g. 2 × USB-C charger, opened</source>
        <translation>包裹内容，例如 2 × USB-C 充电器，已拆封</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/parcel.py" line="186"/>
        <source>Write down at least one thing that identifies the parcel: the tracking number, the sender, an order number or what is inside.</source>
        <translation>请至少填写一项能识别包裹的信息：运单号、寄件人、订单号或包裹内容。</translation>
    </message>
</context>
<context>
    <name>UnitOutcome</name>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="252"/>
        <source>Accepted</source>
        <translation>已接收</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="253"/>
        <source>Rejected</source>
        <translation>拒收</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="254"/>
        <source>More than authorized</source>
        <translation>超出授权</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="255"/>
        <source>Wrong item</source>
        <translation>错误商品</translation>
    </message>
</context>
<context>
    <name>UnitsTableModel</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/models.py" line="106"/>
        <source>Unit</source>
        <translation>单件</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/models.py" line="106"/>
        <source>Line</source>
        <translation>行</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/models.py" line="106"/>
        <source>SKU</source>
        <translation>SKU</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/models.py" line="106"/>
        <source>Serial</source>
        <translation>序列号</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/models.py" line="106"/>
        <source>Outcome</source>
        <translation>结果</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/models.py" line="107"/>
        <source>Grade</source>
        <translation>等级</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/models.py" line="107"/>
        <source>Checks</source>
        <translation>检查</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/models.py" line="107"/>
        <source>Disposition</source>
        <translation>处置</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/models.py" line="107"/>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/models.py" line="108"/>
        <source>Inspected</source>
        <translation>质检</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/models.py" line="112"/>
        <source>packaging</source>
        <translation>包装</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/models.py" line="113"/>
        <source>accessories</source>
        <translation>配件</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/models.py" line="114"/>
        <source>serial</source>
        <translation>序列号</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/models.py" line="115"/>
        <source>function</source>
        <translation>功能</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/models.py" line="122"/>
        <source>All passed</source>
        <translation>全部通过</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/models.py" line="123"/>
        <source>Failed: {checks}</source>
        <translation>未通过：{checks}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/models.py" line="123"/>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/models.py" line="150"/>
        <source>{who}, {when}</source>
        <translation>{who}，{when}</translation>
    </message>
</context>
<context>
    <name>UserDialog</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/users.py" line="72"/>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/users.py" line="73"/>
        <source>Display name</source>
        <translation>显示名称</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/users.py" line="74"/>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/users.py" line="75"/>
        <source>Approval limit (¥)</source>
        <translation>审批限额（¥）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/users.py" line="77"/>
        <source>First password</source>
        <translation>初始密码</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/users.py" line="85"/>
        <source>Change user {name}</source>
        <translation>修改用户 {name}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/users.py" line="85"/>
        <source>Add user</source>
        <translation>添加用户</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/users.py" line="90"/>
        <source>approval limit</source>
        <translation>审批限额</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/users.py" line="92"/>
        <source>Enter the user name the person signs in with.</source>
        <translation>请输入此人登录用的用户名。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/users.py" line="94"/>
        <source>The first password needs at least 8 characters.</source>
        <translation>初始密码至少需要 8 个字符。</translation>
    </message>
</context>
<context>
    <name>UsersTab</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/users.py" line="196"/>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/users.py" line="196"/>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/users.py" line="196"/>
        <source>Own limit</source>
        <translation>本人限额</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/users.py" line="196"/>
        <source>Limit applied</source>
        <translation>实际适用限额</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/users.py" line="197"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/users.py" line="198"/>
        <source>&amp;Add user…</source>
        <translation>添加用户(&amp;A)…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/users.py" line="199"/>
        <source>&amp;Change…</source>
        <translation>修改(&amp;C)…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/users.py" line="200"/>
        <source>New &amp;password…</source>
        <translation>新密码(&amp;P)…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/users.py" line="201"/>
        <source>&amp;Unlock</source>
        <translation>解锁(&amp;U)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/users.py" line="219"/>
        <source>Disabled</source>
        <translation>已停用</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/users.py" line="221"/>
        <source>Locked</source>
        <translation>已锁定</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/users.py" line="222"/>
        <source>Active</source>
        <translation>正常</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/users.py" line="229"/>
        <source>{display} ({username})</source>
        <translation>{display}（{username}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/users.py" line="250"/>
        <source>&amp;Enable</source>
        <translation>启用(&amp;E)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/users.py" line="250"/>
        <source>&amp;Disable</source>
        <translation>停用(&amp;D)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/users.py" line="268"/>
        <source>User {name} added.</source>
        <translation>用户 {name} 已添加。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/users.py" line="281"/>
        <source>User {name} changed.</source>
        <translation>用户 {name} 已修改。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/users.py" line="288"/>
        <source>User {name} enabled.</source>
        <translation>用户 {name} 已启用。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/users.py" line="288"/>
        <source>User {name} disabled.</source>
        <translation>用户 {name} 已停用。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/users.py" line="301"/>
        <source>The password of {name} was changed.</source>
        <translation>{name} 的密码已修改。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/users.py" line="309"/>
        <source>User {name} unlocked.</source>
        <translation>用户 {name} 已解锁。</translation>
    </message>
</context>
<context>
    <name>WorklistCaseScreen</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/worklist_case.py" line="228"/>
        <source>{name} · {phone}</source>
        <extracomment>Pause after a change notification before the worklist is read again (a burst costs one read).</extracomment>
        <translation>{name} · {phone}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/worklist_case.py" line="232"/>
        <source>{order} · sold {sold}</source>
        <translation>{order} · 售出于 {sold}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/worklist_case.py" line="268"/>
        <source>reading the worklist</source>
        <translation>读取待办列表</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/worklist_case.py" line="283"/>
        <source>Reading the queue…</source>
        <translation>正在读取队列…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/worklist_case.py" line="329"/>
        <source>reading the return</source>
        <translation>读取退货单</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/worklist_case.py" line="352"/>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/worklist_case.py" line="404"/>
        <source>Printed again (reprint {count}): {where}</source>
        <translation>已重印（第 {count} 次重印）：{where}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/worklist_case.py" line="405"/>
        <source>Printed: {where}</source>
        <translation>已打印：{where}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/worklist_case.py" line="416"/>
        <source>Not printed: the preview was closed.</source>
        <translation>未打印：预览已关闭。</translation>
    </message>
</context>
<context>
    <name>WorklistTableModel</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/models.py" line="375"/>
        <source>order {order}</source>
        <translation>订单 {order}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/models.py" line="410"/>
        <source>Due by</source>
        <translation>到货期限</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/models.py" line="410"/>
        <source>Since</source>
        <translation>收货时间</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/models.py" line="411"/>
        <source>RMA</source>
        <translation>退货单</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/models.py" line="411"/>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/models.py" line="411"/>
        <source>Items</source>
        <translation>件数</translation>
    </message>
</context>
<context>
    <name>_CheckPage</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/wizard.py" line="402"/>
        <source>Check the rows</source>
        <translation>检查各行</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/wizard.py" line="403"/>
        <source>Every row was checked against what ReturnDesk holds; nothing is written yet.</source>
        <translation>已对照 ReturnDesk 中的数据检查了每一行；尚未写入任何内容。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/wizard.py" line="404"/>
        <source>&amp;Save these columns as profile</source>
        <translation>将这些列保存为方案(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/wizard.py" line="405"/>
        <source>e.g. the system the file comes from</source>
        <translation>例如：导出此文件的系统</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/returndesk/ui/screens/master_data/wizard.py" line="422"/>
        <source>%n row(s) would be refused, so nothing can be imported. Correct them in the file (or go back and map the columns differently) and check again.</source>
        <translation>
            <numerusform>有 %n 行会被拒绝，因此无法导入。请在文件中更正这些行（或返回上一步重新对应各列），然后再次检查。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/wizard.py" line="427"/>
        <source>The file holds no rows to import.</source>
        <translation>文件中没有可导入的行。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/returndesk/ui/screens/master_data/wizard.py" line="431"/>
        <source>Read as {encoding}. %n order(s) can be imported.</source>
        <translation>
            <numerusform>按 {encoding} 读取。可以导入 %n 个订单。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/wizard.py" line="433"/>
        <source>Read as {encoding}. {rows} rows: {new} new, {changed} changed, {same} unchanged.</source>
        <translation>按 {encoding} 读取。共 {rows} 行：新增 {new}，修改 {changed}，不变 {same}。</translation>
    </message>
</context>
<context>
    <name>_FilePage</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/wizard.py" line="186"/>
        <source>Choose the file</source>
        <translation>选择文件</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/wizard.py" line="187"/>
        <source>CSV (UTF-8 or GB18030), Excel workbook (.xlsx) or JSON, with the headers of the system that exported it.</source>
        <translation>CSV（UTF-8 或 GB18030）、Excel 工作簿（.xlsx）或 JSON，可以使用导出系统自己的表头。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/wizard.py" line="189"/>
        <source>&amp;Import</source>
        <translation>导入内容(&amp;I)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/wizard.py" line="193"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/wizard.py" line="195"/>
        <source>The file to import</source>
        <translation>要导入的文件</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/wizard.py" line="196"/>
        <source>&amp;Browse…</source>
        <translation>浏览(&amp;B)…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/wizard.py" line="197"/>
        <source>Column &amp;profile</source>
        <translation>列对应方案(&amp;P)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/wizard.py" line="200"/>
        <source>Nothing is written until the last page: the next pages show the first rows, how each column is read, and every row that would be refused.</source>
        <translation>到最后一页之前不会写入任何内容：接下来的页面会显示前几行、每一列如何读取，以及每一个会被拒绝的行。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/wizard.py" line="211"/>
        <source>Choose the file to import</source>
        <translation>选择要导入的文件</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/wizard.py" line="212"/>
        <source>Import files (*.csv *.xlsx *.json);;All files (*)</source>
        <translation>导入文件 (*.csv *.xlsx *.json);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/wizard.py" line="234"/>
        <source>None: guess from the headers</source>
        <translation>无：根据表头自动识别</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/wizard.py" line="251"/>
        <source>The file {path} cannot be read: {reason}</source>
        <translation>无法读取文件 {path}：{reason}</translation>
    </message>
</context>
<context>
    <name>_ImportPage</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/wizard.py" line="480"/>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/wizard.py" line="481"/>
        <source>The rows are written in one go: cancelling before the end writes nothing.</source>
        <translation>所有行一次性写入：在完成前取消则不会写入任何内容。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/wizard.py" line="482"/>
        <source>&amp;Cancel import</source>
        <translation>取消导入(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/wizard.py" line="491"/>
        <source>Starting…</source>
        <translation>正在开始…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/wizard.py" line="518"/>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/wizard.py" line="530"/>
        <source>Reading the file…</source>
        <translation>正在读取文件…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/wizard.py" line="530"/>
        <source>Checking the rows…</source>
        <translation>正在检查各行…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/wizard.py" line="531"/>
        <source>Writing…</source>
        <translation>正在写入…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/wizard.py" line="531"/>
        <source>Finishing…</source>
        <translation>正在完成…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/wizard.py" line="547"/>
        <source>Done.</source>
        <translation>完成。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/returndesk/ui/screens/master_data/wizard.py" line="549"/>
        <source>%n order(s) imported.</source>
        <translation>
            <numerusform>已导入 %n 个订单。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/wizard.py" line="551"/>
        <source>{rows} rows imported: {new} new, {changed} changed, {same} unchanged.</source>
        <translation>已导入 {rows} 行：新增 {new}，修改 {changed}，不变 {same}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/wizard.py" line="565"/>
        <source>The import was cancelled; nothing was imported.</source>
        <translation>导入已取消；没有导入任何内容。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/wizard.py" line="567"/>
        <source>importing the file</source>
        <translation>导入文件</translation>
    </message>
</context>
<context>
    <name>_MappingPage</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/wizard.py" line="291"/>
        <source>Map the columns</source>
        <translation>对应各列</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/wizard.py" line="295"/>
        <source>Each column of the file goes to one field, but {fields} can take several columns: a colour and a size column are joined, such as “Red / XL”. The guess from the header is filled in. Columns mapped to nothing are not imported.</source>
        <translation>文件的每一列对应一个字段，但{fields}可以对应多列：颜色列和尺码列会合并，例如“红色 / XL”。已按表头填入推测的对应关系。未对应任何字段的列不导入。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/wizard.py" line="299"/>
        <source>Each column of the file goes to one field; the guess from the header is filled in. Columns mapped to nothing are not imported.</source>
        <translation>文件的每一列对应一个字段；已按表头自动填好。未对应字段的列不会导入。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/wizard.py" line="301"/>
        <source>The first rows of the file:</source>
        <translation>文件的前几行：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/wizard.py" line="302"/>
        <source>Columns:</source>
        <translation>各列：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/wizard.py" line="303"/>
        <source>Column of the file</source>
        <translation>文件中的列</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/wizard.py" line="303"/>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/wizard.py" line="305"/>
        <location filename="../../desktop/returndesk/ui/screens/master_data/wizard.py" line="339"/>
        <source>(not imported)</source>
        <translation>（不导入）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/wizard.py" line="313"/>
        <source>{field} (required)</source>
        <translation>{field}（必填）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/wizard.py" line="335"/>
        <source>(no header)</source>
        <translation>（无表头）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/wizard.py" line="364"/>
        <source>Each field can take one column: {fields} is chosen more than once.</source>
        <translation>每个字段只能对应一列：{fields} 被选择了多次。</translation>
    </message>
</context>
</TS>
