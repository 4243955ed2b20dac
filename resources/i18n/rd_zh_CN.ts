<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AdminLogTab</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="40"/>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="41"/>
        <source>Return policy</source>
        <translation>退货政策</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="42"/>
        <source>Policy draft</source>
        <translation>政策草稿</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="43"/>
        <source>Return reason</source>
        <translation>退货原因</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="44"/>
        <source>Site</source>
        <translation>门店</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="45"/>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="162"/>
        <source>Station</source>
        <translation>工位</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="46"/>
        <source>API key</source>
        <translation>API 密钥</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="47"/>
        <source>Webhook</source>
        <translation>Webhook 接收方</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="50"/>
        <source>created</source>
        <translation>已创建</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="51"/>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="60"/>
        <source>changed</source>
        <translation>已修改</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="52"/>
        <source>unlocked</source>
        <translation>已解锁</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="53"/>
        <source>locked after failed sign-ins</source>
        <translation>多次登录失败后锁定</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="54"/>
        <source>password changed</source>
        <translation>密码已修改</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="55"/>
        <source>published</source>
        <translation>已发布</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="56"/>
        <source>withdrawn</source>
        <translation>已撤回</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="57"/>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="62"/>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="64"/>
        <source>saved</source>
        <translation>已保存</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="58"/>
        <source>discarded</source>
        <translation>已丢弃</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="59"/>
        <source>added</source>
        <translation>已添加</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="61"/>
        <source>retired</source>
        <translation>已停用</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="63"/>
        <source>moved to another site</source>
        <translation>移至其他门店</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="65"/>
        <source>printers saved</source>
        <translation>打印机已保存</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="66"/>
        <source>company details saved</source>
        <translation>公司信息已保存</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="71"/>
        <source>role</source>
        <translation>角色</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="72"/>
        <source>active</source>
        <translation>启用</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="73"/>
        <source>approval limit</source>
        <translation>审批限额</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="74"/>
        <source>display name</source>
        <translation>显示名称</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="75"/>
        <source>name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="76"/>
        <source>kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="77"/>
        <source>time zone</source>
        <translation>时区</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="78"/>
        <source>return address</source>
        <translation>退货地址</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="79"/>
        <source>site</source>
        <translation>门店</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="80"/>
        <source>English name</source>
        <translation>英文名称</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="81"/>
        <source>Chinese name</source>
        <translation>中文名称</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="82"/>
        <source>vendor fault</source>
        <translation>供应商责任</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="83"/>
        <source>allowed resolutions</source>
        <translation>允许的处理方式</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="84"/>
        <source>order</source>
        <translation>排序</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="85"/>
        <source>version</source>
        <translation>版本</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="86"/>
        <source>rules</source>
        <translation>规则</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="87"/>
        <source>in effect from</source>
        <translation>生效时间</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="88"/>
        <source>locked until</source>
        <translation>锁定至</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="105"/>
        <source>yes</source>
        <extracomment>Longest value shown in the changes column (the whole text is in the cell&apos;s tooltip).</extracomment>
        <translation>是</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="106"/>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="155"/>
        <source>Everything</source>
        <translation>全部</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="160"/>
        <source>User name, code or version (Enter)</source>
        <translation>用户名、代码或版本号（回车）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="161"/>
        <source>Load &amp;more</source>
        <translation>加载更多(&amp;M)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="162"/>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="162"/>
        <source>Who</source>
        <translation>操作人</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="162"/>
        <source>What</source>
        <translation>对象类型</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="163"/>
        <source>Which</source>
        <translation>对象</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="163"/>
        <source>Done</source>
        <translation>操作</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="163"/>
        <source>Changes</source>
        <translation>变更内容</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="197"/>
        <source>(command line)</source>
        <translation>（命令行）</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="203"/>
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
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="370"/>
        <source>Analytics</source>
        <translation>数据分析</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="371"/>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="772"/>
        <source>From</source>
        <translation>从</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="372"/>
        <source>to</source>
        <translation>至</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="373"/>
        <source>All sites</source>
        <translation>全部门店/仓库</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="374"/>
        <source>Site code; days are counted in its time zone</source>
        <translation>门店/仓库代码；日期按其时区计算</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="375"/>
        <source>All stations</source>
        <translation>全部工位</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="376"/>
        <source>&amp;Show</source>
        <translation>显示(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="377"/>
        <source>Reasons</source>
        <translation>退货原因</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="377"/>
        <source>Return rates</source>
        <translation>退货率</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="378"/>
        <source>Cycle times</source>
        <translation>处理时长</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="378"/>
        <source>Money</source>
        <translation>金额</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="378"/>
        <source>Cycle-time trend</source>
        <translation>处理时长趋势</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="379"/>
        <source>Stage targets…</source>
        <translation>各阶段目标…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="380"/>
        <source>Set how long a return may wait in each stage</source>
        <translation>设置退货单在各阶段最多可等待多久</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="381"/>
        <source>Waiting longest…</source>
        <translation>等待最久…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="382"/>
        <source>Open the returns waiting longest in their stage</source>
        <translation>打开在当前阶段等待最久的退货单</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="383"/>
        <source>By week</source>
        <translation>按周</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="383"/>
        <source>By day</source>
        <translation>按天</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="388"/>
        <source>By product</source>
        <translation>按商品</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="388"/>
        <source>By category</source>
        <translation>按品类</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="389"/>
        <source>By supplier</source>
        <translation>按供应商</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="389"/>
        <source>By channel</source>
        <translation>按渠道</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="393"/>
        <source>Save chart…</source>
        <translation>保存图表…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="394"/>
        <source>Save the chart as a PNG picture</source>
        <translation>将图表保存为 PNG 图片</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="395"/>
        <source>Save figures…</source>
        <translation>保存数据…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="396"/>
        <source>Save the figures as an Excel or CSV file</source>
        <translation>将数据保存为 Excel 或 CSV 文件</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="423"/>
        <source>The period ends before it starts; swap the dates.</source>
        <translation>结束日期早于开始日期；请对调两个日期。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="436"/>
        <source>Loading…</source>
        <translation>正在载入…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="475"/>
        <source>loading the analytics</source>
        <translation>载入分析数据</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="486"/>
        <source>%n return(s) in the period.</source>
        <translation>
            <numerusform>期间内共 %n 张退货单。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="488"/>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="692"/>
        <source>Most time is lost now in: {stage}.</source>
        <translation>当前耗时最多的环节：{stage}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="501"/>
        <source>Why goods come back (units by reason)</source>
        <translation>退货原因（按件数）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="503"/>
        <source>Units returned</source>
        <translation>退货件数</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="512"/>
        <source>Cumulative share (%)</source>
        <translation>累计占比（%）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="526"/>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="534"/>
        <source>Units</source>
        <translation>件数</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="534"/>
        <source>Reason</source>
        <translation>退货原因</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="534"/>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="673"/>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="772"/>
        <source>Returns</source>
        <translation>退货单数</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="534"/>
        <source>Value</source>
        <translation>金额</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="534"/>
        <source>Share</source>
        <translation>占比</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="535"/>
        <source>Cumulative</source>
        <translation>累计占比</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="541"/>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="640"/>
        <source>Click a bar to see the returns behind it.</source>
        <translation>点击柱形可查看对应的退货单。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="561"/>
        <source>Returns: {reason}, {start} to {end}</source>
        <translation>退货单：{reason}，{start} 至 {end}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="601"/>
        <source>Returned of sold, worst first (units)</source>
        <translation>退货占销售的比例，由高到低（按件数）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="606"/>
        <source>Return rate (%)</source>
        <translation>退货率（%）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="626"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="626"/>
        <source>Sold</source>
        <translation>售出</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="626"/>
        <source>Returned</source>
        <translation>退回</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="626"/>
        <source>Rate (units)</source>
        <translation>退货率（件数）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="627"/>
        <source>Rate (value)</source>
        <translation>退货率（金额）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="627"/>
        <source>Rate before</source>
        <translation>上期退货率</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="627"/>
        <source>Jumped</source>
        <translation>明显上升</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="636"/>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="639"/>
        <source>%n rate(s) jumped against the period before.</source>
        <translation>
            <numerusform>有 %n 项退货率比上期明显上升。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="646"/>
        <source>Hours per stage (median and 90th percentile)</source>
        <translation>各环节耗时（小时，中位数与 90 分位）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="647"/>
        <source>Median</source>
        <translation>中位数</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="649"/>
        <source>90th percentile</source>
        <translation>90 分位</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="668"/>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="759"/>
        <source>Hours</source>
        <translation>小时</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="673"/>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="772"/>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="812"/>
        <source>Stage</source>
        <translation>环节</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="673"/>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="772"/>
        <source>Mean (h)</source>
        <translation>平均（小时）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="673"/>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="772"/>
        <source>Median (h)</source>
        <translation>中位数（小时）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="674"/>
        <source>90th pct. (h)</source>
        <translation>90 分位（小时）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="674"/>
        <source>Open now</source>
        <translation>当前未结</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="674"/>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="813"/>
        <source>Target (h)</source>
        <translation>目标（小时）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="674"/>
        <source>Over target</source>
        <translation>超出目标</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="675"/>
        <source>Over twice the target</source>
        <translation>超出目标两倍</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="688"/>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="689"/>
        <source>{rma} ({stage}, {hours} h)</source>
        <translation>{rma}（{stage}，{hours} 小时）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="693"/>
        <source>No open return is over its target.</source>
        <translation>没有未结退货单超出目标时长。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="694"/>
        <source>Waiting longest: {returns}</source>
        <translation>等待最久：{returns}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="701"/>
        <source>Refunded by method</source>
        <translation>按退款方式统计的退款</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="702"/>
        <source>Refunded</source>
        <translation>已退款</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="722"/>
        <source>Back in stock (at cost)</source>
        <translation>重新入库（按成本）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="722"/>
        <source>To refurbishment (at cost)</source>
        <translation>送翻新（按成本）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="723"/>
        <source>To the vendor (at cost)</source>
        <translation>退供应商（按成本）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="723"/>
        <source>Scrapped (at cost)</source>
        <translation>报废（按成本）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="726"/>
        <source>Refunded in all</source>
        <translation>退款合计</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="727"/>
        <source>Grade deductions kept</source>
        <translation>保留的成色扣减</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="728"/>
        <source>Restocking fees kept</source>
        <translation>保留的重新上架费</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="730"/>
        <source>Recovered from vendors (credit notes)</source>
        <translation>从供应商收回（贷项通知单）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="732"/>
        <source>Net cost of returns</source>
        <translation>退货净成本</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="733"/>
        <source>Cost per return</source>
        <translation>每单退货成本</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="734"/>
        <source>Figure</source>
        <translation>项目</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="734"/>
        <source>Count</source>
        <translation>数量</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="734"/>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="738"/>
        <source>Net cost: refunded minus the cost value of the units back in stock and what vendors credited; per refund issued.</source>
        <translation>净成本：退款金额减去重新入库商品的成本价值和供应商贷记金额；按已发放的退款平均。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="745"/>
        <source>Median hours per stage, by week</source>
        <translation>各阶段小时数中位数（按周）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="746"/>
        <source>Median hours per stage, by day</source>
        <translation>各阶段小时数中位数（按天）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="754"/>
        <source>Week from</source>
        <translation>起始周</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="754"/>
        <source>Day</source>
        <translation>日期</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="778"/>
        <source>Median of each stage&apos;s stays that began in the week or day; the table adds how many returns and the mean.</source>
        <translation>各阶段在该周或该日开始的停留时长中位数；表格另列退货单数和平均值。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="803"/>
        <source>Waiting longest</source>
        <translation>等待最久</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="812"/>
        <source>RMA</source>
        <translation>退货单号</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="812"/>
        <source>Waiting (h)</source>
        <translation>已等待（小时）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="821"/>
        <source>Double-click a return to open it.</source>
        <translation>双击退货单即可打开。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="832"/>
        <source>Save chart</source>
        <translation>保存图表</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="833"/>
        <source>PNG pictures (*.png)</source>
        <translation>PNG 图片 (*.png)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="838"/>
        <source>Save figures</source>
        <translation>保存数据</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="839"/>
        <source>Excel workbooks (*.xlsx);;CSV files (*.csv)</source>
        <translation>Excel 工作簿 (*.xlsx);;CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="847"/>
        <source>The file could not be written: {error}. Choose another folder.</source>
        <translation>无法写入文件：{error}。请选择其他文件夹。</translation>
    </message>
</context>
<context>
    <name>ApprovalAge</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="88"/>
        <source>{days} d {hours} h</source>
        <translation>{days}天{hours}小时</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="90"/>
        <source>{hours} h {minutes} min</source>
        <translation>{hours}小时{minutes}分钟</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="91"/>
        <source>{minutes} min</source>
        <translation>{minutes}分钟</translation>
    </message>
</context>
<context>
    <name>ApprovalCheck</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="148"/>
        <source>Packaging</source>
        <translation>包装</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="149"/>
        <source>Accessories</source>
        <translation>配件</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="150"/>
        <source>Serial number</source>
        <translation>序列号</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="151"/>
        <source>Function</source>
        <translation>功能</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="155"/>
        <source>original packaging</source>
        <translation>原包装</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="156"/>
        <source>tags attached</source>
        <translation>吊牌完好</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="157"/>
        <source>accessories complete</source>
        <translation>配件齐全</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="158"/>
        <source>proof of purchase</source>
        <translation>购买凭证</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="159"/>
        <source>factory seal intact</source>
        <translation>出厂封条完好</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="179"/>
        <source>All passed</source>
        <translation>全部通过</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="181"/>
        <source>{check} failed ({failed} of {units})</source>
        <translation>{check}不合格（{units}件中{failed}件）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="185"/>
        <source>; </source>
        <translation>；</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="192"/>
        <source>{check}: {passed} passed, {failed} failed</source>
        <translation>{check}：{passed}件通过，{failed}件不合格</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="197"/>
        <source>Confirmed at intake: {conditions}</source>
        <translation>受理时已确认：{conditions}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="198"/>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="201"/>
        <source>Inspector&apos;s note: {note}</source>
        <translation>质检备注：{note}</translation>
    </message>
</context>
<context>
    <name>ApprovalFiguresWidget</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/widgets.py" line="232"/>
        <source>Refund</source>
        <extracomment>Written reasons shorter than this are refused here before the services are asked (the services refuse them too: ``api.approval.MIN_REASON_LENGTH``).</extracomment>
        <translation>退款</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/widgets.py" line="233"/>
        <source>Goods accepted</source>
        <translation>验收商品金额</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/widgets.py" line="234"/>
        <source>Grade deduction</source>
        <translation>成色扣减</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/widgets.py" line="235"/>
        <source>Restocking fee</source>
        <translation>重新上架费</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/widgets.py" line="236"/>
        <source>Shipping refunded</source>
        <translation>退还运费</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/widgets.py" line="237"/>
        <source>Refund total</source>
        <translation>退款合计</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/widgets.py" line="238"/>
        <source>Method</source>
        <translation>退款方式</translation>
    </message>
</context>
<context>
    <name>ApprovalHistoryWidget</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/widgets.py" line="279"/>
        <source>Customer&apos;s returns</source>
        <translation>顾客退货记录</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/widgets.py" line="291"/>
        <source>Walk-in sale without a customer record: no history.</source>
        <translation>门店散客销售，没有顾客档案，因此没有退货记录。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/widgets.py" line="298"/>
        <source>Returns in the last {days} days: {in_window} · in all: {all_time}</source>
        <translation>近{days}天退货：{in_window}次 · 累计：{all_time}次</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/widgets.py" line="300"/>
        <source>{returned} of {orders} orders returned ({rate} %)</source>
        <translation>{orders}个订单中有{returned}个退过货（{rate}%）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/widgets.py" line="304"/>
        <source>Frequent returner</source>
        <translation>频繁退货顾客</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/widgets.py" line="307"/>
        <source>Latest returns of {name}:</source>
        <translation>{name}最近的退货：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/widgets.py" line="309"/>
        <source>{rma} · {order} · {status} · {amount} · {when}</source>
        <translation>{rma} · {order} · {status} · {amount} · {when}</translation>
    </message>
</context>
<context>
    <name>ApprovalLevel</name>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="274"/>
        <source>Automatic</source>
        <translation>自动</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="275"/>
        <source>Supervisor</source>
        <translation>主管</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="276"/>
        <source>Manager</source>
        <translation>经理</translation>
    </message>
</context>
<context>
    <name>ApprovalLinesTableModel</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="435"/>
        <source>{accepted} of {requested}, {rejected} refused</source>
        <translation>{accepted}/{requested}，拒收{rejected}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="438"/>
        <source>{accepted} of {requested}</source>
        <translation>{accepted}/{requested}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="445"/>
        <source>{grade} · {disposition}</source>
        <translation>{grade} · {disposition}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="464"/>
        <source>{name}
SKU {sku} · {category} · {resolution}</source>
        <translation>{name}
SKU {sku} · {category} · {resolution}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="468"/>
        <source>Bought {bought}, returned {requested}, authorized {authorized}, received {received}, accepted {accepted}, refused {rejected}</source>
        <translation>购买{bought}，申请退货{requested}，授权{authorized}，收到{received}，验收{accepted}，拒收{rejected}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="474"/>
        <source>The seller&apos;s fault: refunded in full.</source>
        <translation>商家责任：全额退款。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="483"/>
        <source>Paid per unit {unit}
Grade deduction {deduction}
Restocking fee {fee}</source>
        <translation>单件实付 {unit}
成色扣减 {deduction}
重新上架费 {fee}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="493"/>
        <source>#</source>
        <translation>#</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="493"/>
        <source>Product</source>
        <translation>商品</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="493"/>
        <source>Qty</source>
        <translation>数量</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="493"/>
        <source>Reason</source>
        <translation>退货原因</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="494"/>
        <source>Grade</source>
        <translation>等级</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="494"/>
        <source>Checks</source>
        <translation>检查</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="494"/>
        <source>Policy</source>
        <translation>政策</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="494"/>
        <source>Refund</source>
        <translation>退款</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="495"/>
        <source>Deducted</source>
        <translation>扣减</translation>
    </message>
</context>
<context>
    <name>ApprovalQueueTableModel</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="313"/>
        <source>Walk-in customer</source>
        <extracomment>One keyset page of queue rows; ``next_cursor`` None on the last page.</extracomment>
        <translation>门店顾客</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="318"/>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="332"/>
        <source>{rma} · order {order} · {level} approval</source>
        <translation>{rma} · 订单 {order} · {level}审批</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="334"/>
        <source>Waiting since {when}</source>
        <translation>自 {when} 起等待</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="336"/>
        <source>Outside the return policy: needs an override with a reason.</source>
        <translation>不符合退货政策：需填写理由进行特批。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="338"/>
        <source>Why it needs approval:</source>
        <translation>需要审批的原因：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="346"/>
        <source>Waiting</source>
        <translation>已等待</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="346"/>
        <source>RMA · customer</source>
        <translation>退货单号 · 顾客</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="346"/>
        <source>Refund</source>
        <translation>退款</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="346"/>
        <source>Reasons</source>
        <translation>退货原因</translation>
    </message>
</context>
<context>
    <name>ApprovalScreen</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="344"/>
        <source>Approvals</source>
        <extracomment>Pause after a change notification before the queue and the return are read again (a burst of changes — a whole inspection — costs one read). Pause after the last keystroke in the filter before the queue is read with it. States in which the refund is decided: the receipt can be printed. States after approval, when the refund bar is shown.</extracomment>
        <translation>主管审批</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="345"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="346"/>
        <source>Read the queue again ({key})</source>
        <translation>重新读取队列（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="348"/>
        <source>RMA, order, name or phone</source>
        <translation>退货单号、订单号、姓名或电话</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="349"/>
        <source>Filter the queue: type and press Enter ({key})</source>
        <translation>筛选队列：输入后按回车（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="351"/>
        <source>Show only returns with a line of this reason</source>
        <translation>只显示含此退货原因的退货单</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="352"/>
        <source>Oldest first. Up/Down choose a return.</source>
        <translation>最早的排在前面。按上/下键选择退货单。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="353"/>
        <source>Choose a return in the queue to see it here.</source>
        <translation>在队列中选择一张退货单，在这里查看。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="354"/>
        <source>Customer</source>
        <translation>顾客</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="354"/>
        <source>Order</source>
        <translation>订单</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="355"/>
        <source>Channel</source>
        <translation>渠道</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="357"/>
        <source>Taken by</source>
        <translation>受理人</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="357"/>
        <source>Inspected by</source>
        <translation>质检人</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="358"/>
        <source>Waiting</source>
        <translation>等待</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="360"/>
        <source>Why it needs your approval</source>
        <translation>需要您审批的原因</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="361"/>
        <source>Lines</source>
        <translation>退货明细</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="362"/>
        <source>Timeline</source>
        <translation>处理记录</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="364"/>
        <source>&amp;Note or reason:</source>
        <translation>备注或理由(&amp;N)：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="365"/>
        <source>Optional when approving; required to reject or override</source>
        <translation>批准时可不填；驳回或特批时必须填写</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="366"/>
        <source>&amp;Approve</source>
        <translation>批准(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="367"/>
        <source>&amp;Reject…</source>
        <translation>驳回(&amp;R)…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="368"/>
        <source>&amp;Override policy…</source>
        <translation>政策特批(&amp;O)…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="370"/>
        <source>Refund &amp;method:</source>
        <translation>退款方式(&amp;M)：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="371"/>
        <source>&amp;Issue refund</source>
        <translation>办理退款(&amp;I)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="372"/>
        <source>Print &amp;receipt</source>
        <translation>打印回执(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="373"/>
        <source>Print &amp;credit note</source>
        <translation>打印贷项通知单(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="464"/>
        <source>counting the queue</source>
        <translation>统计队列</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="473"/>
        <source>All reasons ({count})</source>
        <translation>全部原因（{count}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="474"/>
        <source>All reasons</source>
        <translation>全部原因</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="479"/>
        <source>{reason} ({count})</source>
        <translation>{reason}（{count}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="508"/>
        <source>reading the approval queue</source>
        <translation>读取审批队列</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="514"/>
        <source>Waiting for your approval: {count}</source>
        <translation>等待您审批：{count}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="521"/>
        <source>Reading the queue…</source>
        <translation>正在读取队列…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="523"/>
        <source>No return waiting for you matches this filter.</source>
        <translation>没有符合此筛选条件的待审批退货单。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="525"/>
        <source>Nothing waits for your approval.</source>
        <translation>没有等待您审批的退货单。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="528"/>
        <source>Returns shown: {count}; the oldest has waited {age}.</source>
        <translation>显示 {count} 张；最早的已等待{age}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="531"/>
        <source>Returns shown: {count}; scroll down for more.</source>
        <translation>显示 {count} 张；向下滚动查看更多。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="592"/>
        <source>reading the return</source>
        <translation>读取退货单</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="612"/>
        <source>{level} approval</source>
        <translation>{level}审批</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="615"/>
        <source>Walk-in customer</source>
        <translation>门店顾客</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="617"/>
        <source>{name} · {phone}</source>
        <translation>{name} · {phone}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="619"/>
        <source>{order} · sold {sold}</source>
        <translation>{order} · 售出于 {sold}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="621"/>
        <source>At the counter</source>
        <translation>柜台</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="621"/>
        <source>Phone or online (parcel)</source>
        <translation>电话或线上（包裹寄回）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="626"/>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="628"/>
        <source>{who} · {when}</source>
        <translation>{who} · {when}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="632"/>
        <source>{status} for {age}</source>
        <translation>{status}已{age}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="637"/>
        <source>Policy overridden: “{reason}”</source>
        <translation>已政策特批：“{reason}”</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="638"/>
        <source>No routing reason recorded.</source>
        <translation>没有记录审批原因。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="671"/>
        <source>Approve the refund of {amount} ({key})</source>
        <translation>批准退款 {amount}（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="673"/>
        <source>Refuse the refund with the reason written in the field; the goods go back to the customer ({key})</source>
        <translation>按输入框中的理由驳回退款；商品退回顾客（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="676"/>
        <source>Approve although the return is outside the policy, with the reason written in the field ({key})</source>
        <translation>退货不符合政策，按输入框中的理由特批（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="680"/>
        <source>Approve</source>
        <translation>批准</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="680"/>
        <source>Reject</source>
        <translation>驳回</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="680"/>
        <source>Override policy</source>
        <translation>政策特批</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="692"/>
        <source>{action}: {why}</source>
        <translation>{action}：{why}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="702"/>
        <source>Pay back {amount} by the chosen method ({key})</source>
        <translation>按所选方式退款 {amount}（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="709"/>
        <source>Print the receipt of this return ({key})</source>
        <translation>打印此退货单的回执（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="710"/>
        <source>The receipt is printed once the refund is approved.</source>
        <translation>退款批准后才能打印回执。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="716"/>
        <source>Print credit note {number} ({key})</source>
        <translation>打印贷项通知单 {number}（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="718"/>
        <source>The credit note exists once the refund is issued.</source>
        <translation>办理退款后才有贷项通知单。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="723"/>
        <source>Your role may not issue refunds.</source>
        <translation>您的角色不能办理退款。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="725"/>
        <source>The refund was rejected; nothing is paid.</source>
        <translation>退款已被驳回，不付款。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="727"/>
        <source>The refund was issued already.</source>
        <translation>已经办理过退款。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="728"/>
        <source>The refund is issued once it is approved.</source>
        <translation>退款批准后才能办理。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="733"/>
        <source>Refund {number}: {amount} by {method}, issued by {who} at {when}.</source>
        <translation>退款 {number}：{amount}，{method}，由{who}于 {when} 办理。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="737"/>
        <source>Credit note {number}.</source>
        <translation>贷项通知单 {number}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="740"/>
        <source>Approved: issue the refund of {amount}.</source>
        <translation>已批准：请办理退款 {amount}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="743"/>
        <source>The refund was rejected; the goods go back to the customer.</source>
        <translation>退款已被驳回；商品退回顾客。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="757"/>
        <source>approving the refund</source>
        <translation>批准退款</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="765"/>
        <source>Write why the refund is rejected in the “Note or reason” field (at least {count} characters), then reject again; the reason is kept with the return.</source>
        <translation>请在“备注或理由”中写明驳回退款的理由（至少 {count} 个字），然后再次驳回；理由会随退货单保存。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="770"/>
        <source>rejecting the refund</source>
        <translation>驳回退款</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="778"/>
        <source>Write why the policy is overridden in the “Note or reason” field (at least {count} characters), then override again; the reason is kept with the return.</source>
        <translation>请在“备注或理由”中写明政策特批的理由（至少 {count} 个字），然后再次特批；理由会随退货单保存。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="784"/>
        <source>overriding the policy</source>
        <translation>政策特批</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="805"/>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="817"/>
        <source>{rma}: refund of {amount} approved. Issue it now ({key}) or leave it for the counter.</source>
        <translation>{rma}：已批准退款 {amount}。现在办理（{key}），或交给柜台办理。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="827"/>
        <source>{rma}: refund rejected. The goods go back to the customer.</source>
        <translation>{rma}：退款已驳回，商品退回顾客。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="864"/>
        <source>issuing the refund</source>
        <translation>办理退款</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="869"/>
        <source>Refund {number} of {amount} issued by {method}.</source>
        <translation>退款 {number} 已办理：{amount}，{method}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="872"/>
        <source>Print the receipt ({receipt}) or the credit note {number} ({key}).</source>
        <translation>可打印回执（{receipt}）或贷项通知单 {number}（{key}）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="895"/>
        <source>Printing…</source>
        <translation>正在打印…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="935"/>
        <source>Not printed: the preview was closed.</source>
        <translation>未打印：预览已关闭。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="941"/>
        <source>Printed again (reprint {count}): {where}</source>
        <translation>已重印（第 {count} 次重印）：{where}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="944"/>
        <source>Printed: {where}</source>
        <translation>已打印：{where}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="952"/>
        <source>The document could not be printed ({reason}); check the printer or the folder, then print again.</source>
        <translation>单据无法打印（{reason}）；请检查打印机或文件夹后重新打印。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/screen.py" line="955"/>
        <source>printing the document</source>
        <translation>打印单据</translation>
    </message>
</context>
<context>
    <name>ApprovalTimelineTableModel</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="663"/>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="663"/>
        <source>Who</source>
        <translation>操作人</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="663"/>
        <source>Station</source>
        <translation>工作站</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="663"/>
        <source>What</source>
        <translation>内容</translation>
    </message>
</context>
<context>
    <name>BlindReturnDialog</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/blind.py" line="191"/>
        <source>Return without a receipt</source>
        <translation>无小票退货</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/blind.py" line="193"/>
        <source>No sale can be found: the item is refunded at the lowest price it sold for recently, as store credit only, and a supervisor signs off on this screen. The return is kept in the customer&apos;s history as one without a receipt.</source>
        <translation>找不到销售记录：按商品近期最低售价退款，只退储值，并由主管在本屏幕上授权。该退货将以“无小票退货”记入顾客的退货记录。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/blind.py" line="196"/>
        <source>&amp;Item:</source>
        <translation>商品(&amp;I)：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/blind.py" line="197"/>
        <source>Scan the item&apos;s barcode or type its SKU</source>
        <translation>扫描商品条码或输入 SKU</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/blind.py" line="198"/>
        <source>&amp;Quantity:</source>
        <translation>数量(&amp;Q)：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/blind.py" line="199"/>
        <source>&amp;Reason:</source>
        <translation>原因(&amp;R)：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/blind.py" line="200"/>
        <source>Checked:</source>
        <translation>已核对：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/blind.py" line="201"/>
        <source>Customer&apos;s &amp;phone:</source>
        <translation>顾客电话(&amp;P)：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/blind.py" line="202"/>
        <source>Required: the return is kept in the customer&apos;s history</source>
        <translation>必填：该退货将记入顾客的退货记录</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/blind.py" line="203"/>
        <source>Customer&apos;s &amp;name:</source>
        <translation>顾客姓名(&amp;N)：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/blind.py" line="204"/>
        <source>Take the return ({key})</source>
        <translation>受理退货（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/blind.py" line="205"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/blind.py" line="260"/>
        <source>pricing the item</source>
        <translation>核定商品价格</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/blind.py" line="272"/>
        <source>Scan the item to see what is refunded.</source>
        <translation>扫描商品即可看到退款金额。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/blind.py" line="280"/>
        <source>{price} each: the lowest price of the last {days} days (sold {day}); today&apos;s price is {list}.</source>
        <translation>每件 {price}：近 {days} 天的最低售价（{day} 售出）；今日售价 {list}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/blind.py" line="284"/>
        <source>{price} each: today&apos;s price; it did not sell for less in the last {days} days.</source>
        <translation>每件 {price}：今日售价；近 {days} 天内没有更低的售价。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/blind.py" line="286"/>
        <source>{name} ({sku}). {why}</source>
        <translation>{name}（{sku}）。{why}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/blind.py" line="287"/>
        <source>Store credit: {amount}</source>
        <translation>储值退款：{amount}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/blind.py" line="294"/>
        <source>{name} returned {count} item(s) without a receipt before.</source>
        <translation>{name} 此前已有 {count} 次无小票退货。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/blind.py" line="308"/>
        <source>Scan the item&apos;s barcode or type its SKU.</source>
        <translation>请扫描商品条码或输入 SKU。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/blind.py" line="310"/>
        <source>Choose the reason.</source>
        <translation>请选择原因。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/blind.py" line="312"/>
        <source>Type the customer&apos;s phone number.</source>
        <translation>请输入顾客电话。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/blind.py" line="314"/>
        <source>No customer has this phone yet: type the customer&apos;s name.</source>
        <translation>尚无使用此电话的顾客：请输入顾客姓名。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/blind.py" line="336"/>
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
        <location filename="../../desktop/returndesk/ui/screens/cash_drawer.py" line="121"/>
        <source>Cash drawer</source>
        <translation>收银钱箱</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/cash_drawer.py" line="122"/>
        <source>Open the shift</source>
        <translation>开班</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/cash_drawer.py" line="123"/>
        <source>Float in the drawer (¥)</source>
        <translation>钱箱备用金（¥）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/cash_drawer.py" line="124"/>
        <source>&amp;Open shift</source>
        <translation>开班(&amp;O)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/cash_drawer.py" line="125"/>
        <source>Cash counted (¥)</source>
        <translation>实点现金（¥）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/cash_drawer.py" line="126"/>
        <source>Note on a difference</source>
        <translation>差额说明</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/cash_drawer.py" line="127"/>
        <source>&amp;Close shift</source>
        <translation>交班(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/cash_drawer.py" line="128"/>
        <source>Shift &amp;report (PDF)…</source>
        <translation>班次报表 PDF(&amp;R)…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/cash_drawer.py" line="129"/>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/cash_drawer.py" line="129"/>
        <source>Refund</source>
        <translation>退款单号</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/cash_drawer.py" line="129"/>
        <source>RMA</source>
        <translation>退货单号</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/cash_drawer.py" line="129"/>
        <source>Paid by</source>
        <translation>经办人</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/cash_drawer.py" line="130"/>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/cash_drawer.py" line="156"/>
        <source>No cash shift is open at station {station}. Count the float into the drawer and open the shift before paying out cash.</source>
        <translation>工位 {station} 没有开班。请先点好备用金放入钱箱并开班，然后再支付现金退款。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/cash_drawer.py" line="163"/>
        <source>Shift {shift} at {station}, opened {when} by {who}.</source>
        <translation>班次 {shift}（工位 {station}），{who} 于 {when} 开班。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/cash_drawer.py" line="165"/>
        <source>Shift {shift}</source>
        <translation>班次 {shift}</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/returndesk/ui/screens/cash_drawer.py" line="167"/>
        <source>Float {float} − %n cash refund(s) {paid} = {expected} expected in the drawer</source>
        <translation>
            <numerusform>备用金 {float} − %n 笔现金退款 {paid} = 钱箱应有 {expected}</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/returndesk/ui/screens/cash_drawer.py" line="173"/>
        <source>The expected cash includes %n exchange difference(s) taken in: {taken}</source>
        <translation>
            <numerusform>应有现金已含 %n 笔收取的换货差价：{taken}</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/cash_drawer.py" line="186"/>
        <source>Shift {shift} closed: the drawer held exactly {counted}.</source>
        <translation>班次 {shift} 已交班：钱箱现金 {counted}，与应有金额一致。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/cash_drawer.py" line="188"/>
        <source>over</source>
        <translation>长款</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/cash_drawer.py" line="188"/>
        <source>short</source>
        <translation>短款</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/cash_drawer.py" line="189"/>
        <source>Shift {shift} closed {kind} by {difference} (counted {counted}, expected {expected}); posted as journal entry {entry}.</source>
        <translation>班次 {shift} 已交班，{kind} {difference}（实点 {counted}，应有 {expected}），已记账凭证 {entry}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/cash_drawer.py" line="198"/>
        <source>float</source>
        <translation>备用金</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/cash_drawer.py" line="208"/>
        <source>Shift {shift} opened with {amount}.</source>
        <translation>班次 {shift} 已开班，备用金 {amount}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/cash_drawer.py" line="214"/>
        <source>cash counted</source>
        <translation>实点现金</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/cash_drawer.py" line="230"/>
        <source>Save the shift report</source>
        <translation>保存班次报表</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/cash_drawer.py" line="243"/>
        <source>Shift report saved to {path}.</source>
        <translation>班次报表已保存到 {path}。</translation>
    </message>
</context>
<context>
    <name>Channel</name>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="258"/>
        <source>Counter</source>
        <translation>柜台</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="259"/>
        <source>Phone or online</source>
        <translation>电话或线上</translation>
    </message>
</context>
<context>
    <name>ClaimUnitsTableModel</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="197"/>
        <source>Item tag</source>
        <translation>商品标签</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="197"/>
        <source>SKU</source>
        <translation>SKU</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="197"/>
        <source>Product</source>
        <translation>商品</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="197"/>
        <source>Grade</source>
        <translation>等级</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="197"/>
        <source>Cost</source>
        <translation>成本</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="198"/>
        <source>Answer</source>
        <translation>供应商答复</translation>
    </message>
</context>
<context>
    <name>ClaimsScreen</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="80"/>
        <source>Open</source>
        <translation>待提交</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="81"/>
        <source>Authorisation asked</source>
        <translation>已申请授权</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="82"/>
        <source>Authorised</source>
        <translation>已授权</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="83"/>
        <source>Shipped</source>
        <translation>已发出</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="84"/>
        <source>Credited</source>
        <translation>已退款</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="85"/>
        <source>Partly credited</source>
        <translation>部分退款</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="86"/>
        <source>Rejected</source>
        <translation>已拒绝</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="89"/>
        <source>Credit at cost</source>
        <translation>按成本退款</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="90"/>
        <source>Credit at cost less handling fee</source>
        <translation>按成本扣除手续费退款</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="91"/>
        <source>Replacement goods</source>
        <translation>换货</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="94"/>
        <source>Accepted</source>
        <translation>已接受</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="95"/>
        <source>Refused, back in stock</source>
        <translation>拒收，已回可售库存</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="96"/>
        <source>Refused, scrapped</source>
        <translation>拒收，已报废</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="413"/>
        <source>Claims against suppliers</source>
        <translation>退供单</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="414"/>
        <source>Scan an item tag to put the unit on its supplier&apos;s claim ({key})</source>
        <translation>扫描商品标签，将该件加入其供应商的退供单（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="416"/>
        <source>Take off ({key})</source>
        <translation>移出（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="417"/>
        <source>When checked, a scan takes the unit off the claim shown</source>
        <translation>勾选后，扫描会将该件从当前退供单中移出</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="418"/>
        <source>Refresh ({key})</source>
        <translation>刷新（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="419"/>
        <source>Ask for authorisation ({key})</source>
        <translation>申请授权（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="420"/>
        <source>Packing list and label ({key})</source>
        <translation>装箱单和标签（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="422"/>
        <source>Ship ({key})</source>
        <translation>发货（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="423"/>
        <source>Supplier&apos;s authorisation ({key})</source>
        <translation>供应商授权（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="425"/>
        <source>Supplier RMA:</source>
        <translation>供应商退货授权号：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="426"/>
        <source>Authorised on:</source>
        <translation>授权日期：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="427"/>
        <source>Record authorisation</source>
        <translation>登记授权</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="428"/>
        <source>Supplier&apos;s answer ({key})</source>
        <translation>供应商答复（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="429"/>
        <source>Credit note no.:</source>
        <translation>贷项通知单号：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="430"/>
        <source>Amount credited:</source>
        <translation>退款金额：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="431"/>
        <source>Refused units go:</source>
        <translation>拒收商品去向：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="432"/>
        <source>Back to available stock</source>
        <translation>回到可售库存</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="433"/>
        <source>To scrap</source>
        <translation>报废</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="434"/>
        <source>Select the units the supplier refused in the list above.</source>
        <translation>请在上方列表中选中供应商拒收的商品。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="435"/>
        <source>Record credit</source>
        <translation>登记退款</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="436"/>
        <source>Supplier refused all ({key})</source>
        <translation>供应商全部拒收（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="438"/>
        <source>Report to the supplier</source>
        <translation>给供应商的报告</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="439"/>
        <source>Save as Excel and PDF ({key})</source>
        <translation>保存为 Excel 和 PDF（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="441"/>
        <source>Return rates, reasons and claims of the supplier of the claim shown (all suppliers when none is shown), for the days chosen</source>
        <translation>所选日期内，当前退供单所属供应商（未选退供单时为全部供应商）的退货率、退货原因和退供单</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="480"/>
        <source>%n claim(s) not yet answered.</source>
        <translation>
            <numerusform>%n 张退供单尚未答复。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="481"/>
        <source>No open claims. Scan the item tag of a unit going back to its supplier.</source>
        <translation>没有未完成的退供单。扫描要退回供应商的商品标签即可开始。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="483"/>
        <source>%n shipped too long ago without an answer.</source>
        <translation>
            <numerusform>%n 张已发出过久仍未答复。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="503"/>
        <source>No claim chosen</source>
        <translation>未选择退供单</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="504"/>
        <source>Choose a claim in the list, or scan an item tag.</source>
        <translation>请在列表中选择退供单，或扫描商品标签。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="508"/>
        <source>{claim} to {supplier} — {status}</source>
        <translation>{claim} 退给 {supplier} — {status}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="510"/>
        <source>Terms: {terms}</source>
        <translation>条款：{terms}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="511"/>
        <source>Units: {n}, cost {cost}, credit asked {value}</source>
        <translation>件数：{n}，成本 {cost}，申请退款 {value}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="514"/>
        <source>Minimum claim: {amount}</source>
        <translation>最低退供金额：{amount}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="516"/>
        <source>Supplier RMA {rma} of {day}</source>
        <translation>供应商授权号 {rma}（{day}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="519"/>
        <source>Below the supplier&apos;s minimum claim: collect more units before asking.</source>
        <translation>低于供应商的最低退供金额：请先收集更多商品再申请。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="521"/>
        <source>Shipped too long ago without the supplier&apos;s answer: remind the supplier.</source>
        <translation>发出已久仍未收到供应商答复：请催促供应商。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="540"/>
        <source>Supervisors and finance record the supplier&apos;s answer.</source>
        <translation>供应商答复由主管或财务登记。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="551"/>
        <source>working on claims</source>
        <translation>处理退供单</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="580"/>
        <source>The warehouse puts units on claims; you can read claims and record the supplier&apos;s answer.</source>
        <translation>由仓库把商品加入退供单；您可以查看退供单并登记供应商的答复。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="587"/>
        <source>Choose the claim to take the unit off first.</source>
        <translation>请先选择要移出商品的退供单。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="590"/>
        <source>{tag} taken off {claim}.</source>
        <translation>{tag} 已从 {claim} 移出。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="594"/>
        <source>{tag} put on {claim}.</source>
        <translation>{tag} 已加入 {claim}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="615"/>
        <source>Authorisation of {claim} asked; record the supplier&apos;s RMA when it comes.</source>
        <translation>已为 {claim} 申请授权；收到供应商的退货授权号后请登记。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="624"/>
        <source>Enter the RMA number the supplier gave.</source>
        <translation>请输入供应商给出的退货授权号。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="630"/>
        <source>{claim} authorised; print the packing list and ship it.</source>
        <translation>{claim} 已授权；请打印装箱单并发货。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="637"/>
        <source>{claim} shipped to the supplier.</source>
        <translation>{claim} 已发给供应商。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="651"/>
        <source>“{text}” is not an amount; type it as on the credit note, e.g. 150.00.</source>
        <translation>“{text}”不是金额；请按贷项通知单上的金额输入，例如 150.00。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="659"/>
        <source>The supplier&apos;s answer to {claim} is recorded.</source>
        <translation>已登记供应商对 {claim} 的答复。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="667"/>
        <source>{claim} refused by the supplier; its units are back.</source>
        <translation>供应商拒绝了 {claim}；商品已退回。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="684"/>
        <source>The documents could not be saved in {folder}: {error}</source>
        <translation>无法将单据保存到 {folder}：{error}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="687"/>
        <source>Packing list and shipping label of {claim} saved in {folder}.</source>
        <translation>{claim} 的装箱单和发货标签已保存到 {folder}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="709"/>
        <source>The report could not be saved in {folder}: {error}</source>
        <translation>报告无法保存到 {folder}：{error}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="712"/>
        <source>Supplier report saved in {folder} as {name}.xlsx and .pdf.</source>
        <translation>供应商报告已保存到 {folder}：{name}.xlsx 和 .pdf。</translation>
    </message>
</context>
<context>
    <name>ClaimsTableModel</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="140"/>
        <source>{status} — overdue</source>
        <translation>{status} — 已超期</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="149"/>
        <source>Below the supplier&apos;s minimum claim: collect more units before asking.</source>
        <translation>低于供应商的最低退供金额：请先收集更多商品再申请。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="157"/>
        <source>Claim</source>
        <translation>退供单号</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="157"/>
        <source>Supplier</source>
        <translation>供应商</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="157"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="157"/>
        <source>Units</source>
        <translation>件数</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="157"/>
        <source>Value</source>
        <translation>金额</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/claims.py" line="158"/>
        <source>Supplier RMA</source>
        <translation>供应商授权号</translation>
    </message>
</context>
<context>
    <name>CollectMethod</name>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="289"/>
        <source>Cash</source>
        <translation>现金</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="290"/>
        <source>Bank card</source>
        <translation>银行卡</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="291"/>
        <source>WeChat Pay</source>
        <translation>微信支付</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="292"/>
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
        <location filename="../../desktop/returndesk/ui/screens/counter/models.py" line="403"/>
        <source>Choose the reason for returning this item.</source>
        <translation>请选择此商品的退货原因。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/models.py" line="526"/>
        <source>{name} ({sku})</source>
        <translation>{name}（{sku}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/models.py" line="542"/>
        <source>Choose a reason</source>
        <translation>请选择原因</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/models.py" line="553"/>
        <source>(checking the line as entered…)</source>
        <translation>（正在按录入内容核对…）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/models.py" line="556"/>
        <source>To fix:</source>
        <translation>需要修改：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/models.py" line="560"/>
        <source>{total} paid for {count} (after discounts, tax included)</source>
        <translation>{count} 件共付 {total}（折后，含税）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/models.py" line="563"/>
        <source>{name} · {category}</source>
        <translation>{name} · {category}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/models.py" line="575"/>
        <source>#</source>
        <translation>行</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/models.py" line="575"/>
        <source>Item</source>
        <translation>商品</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/models.py" line="575"/>
        <source>Bought</source>
        <translation>购买</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/models.py" line="575"/>
        <source>Returned</source>
        <translation>已退</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/models.py" line="575"/>
        <source>In process</source>
        <translation>处理中</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/models.py" line="576"/>
        <source>Returnable</source>
        <translation>可退</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/models.py" line="576"/>
        <source>Paid each</source>
        <translation>实付单价</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/models.py" line="576"/>
        <source>To return</source>
        <translation>本次退</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/models.py" line="576"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/models.py" line="577"/>
        <source>Policy verdict</source>
        <translation>政策判定</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/models.py" line="581"/>
        <source>Units already returned by earlier returns</source>
        <translation>以前的退货已退回的件数</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/models.py" line="582"/>
        <source>Units held by returns still open</source>
        <translation>尚未完成的退货占用的件数</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/models.py" line="583"/>
        <source>Units that can still be returned</source>
        <translation>仍可退的件数</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/models.py" line="584"/>
        <source>Price paid per unit, after discounts, tax included</source>
        <translation>每件实付金额（折后，含税）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/models.py" line="585"/>
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
        <location filename="../../desktop/returndesk/ui/screens/counter/models.py" line="608"/>
        <source>Shop</source>
        <translation>门店</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/models.py" line="609"/>
        <source>Online</source>
        <translation>网上</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/models.py" line="610"/>
        <location filename="../../desktop/returndesk/ui/screens/counter/models.py" line="615"/>
        <location filename="../../desktop/returndesk/ui/screens/counter/models.py" line="687"/>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/models.py" line="613"/>
        <source>Order number</source>
        <translation>订单号</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/models.py" line="614"/>
        <source>Earlier return</source>
        <translation>以前的退货</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/models.py" line="616"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/models.py" line="687"/>
        <source>Order</source>
        <translation>订单</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/models.py" line="687"/>
        <source>Sold</source>
        <translation>销售日期</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/models.py" line="687"/>
        <source>Customer</source>
        <translation>顾客</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/models.py" line="687"/>
        <source>Items</source>
        <translation>件数</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/models.py" line="688"/>
        <source>Returnable</source>
        <translation>可退</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/models.py" line="688"/>
        <source>Paid</source>
        <translation>实付</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/models.py" line="688"/>
        <source>Bought at</source>
        <translation>购买渠道</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/models.py" line="688"/>
        <source>Found by</source>
        <translation>匹配依据</translation>
    </message>
</context>
<context>
    <name>CounterScreen</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="134"/>
        <source>card</source>
        <extracomment>Pause after the last keystroke before the draft is judged again (the services answer fast; this only spares them a request per key). Pause before a sale changed elsewhere is read again. How sales were paid (codes of the sales import), in words.</extracomment>
        <translation>银行卡</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="135"/>
        <source>cash</source>
        <translation>现金</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="136"/>
        <source>WeChat Pay</source>
        <translation>微信支付</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="137"/>
        <source>Alipay</source>
        <translation>支付宝</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="138"/>
        <source>cash on delivery</source>
        <translation>货到付款</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="139"/>
        <source>bank transfer</source>
        <translation>银行转账</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="140"/>
        <source>store credit</source>
        <translation>门店储值</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="1068"/>
        <source>You may not authorize returns; a supervisor authorizes it.</source>
        <translation>您没有批准退货的权限；由主管批准。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="367"/>
        <source>&amp;Find sale ({key})</source>
        <translation>查找订单(&amp;F)（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="368"/>
        <source>Order number, receipt barcode, phone or customer name</source>
        <translation>订单号、小票条码、电话或顾客姓名</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="370"/>
        <source>Type or scan, then Enter ({key}). Phone: the whole number or its last 4 digits.</source>
        <translation>输入或扫描后按回车（{key}）。电话：完整号码或后 4 位。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="371"/>
        <source>Find</source>
        <translation>查找</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="372"/>
        <source>No receipt ({key})</source>
        <translation>无小票（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="374"/>
        <source>The customer has the item but no receipt, and no sale can be found: store credit at the lowest recent price, with a supervisor&apos;s sign-off</source>
        <translation>顾客有商品但没有小票，且找不到销售记录：按近期最低售价退储值，需主管授权</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="376"/>
        <source>Find the sale (Enter)</source>
        <translation>查找订单（回车）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="377"/>
        <source>Several sales match: choose one with the arrow keys and Enter</source>
        <translation>有多个订单符合：用方向键选择后按回车</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="378"/>
        <source>Sale</source>
        <translation>订单</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="379"/>
        <source>Customer</source>
        <translation>顾客</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="379"/>
        <source>Order</source>
        <translation>订单号</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="379"/>
        <source>Bought at</source>
        <translation>购买渠道</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="380"/>
        <source>Sold</source>
        <translation>销售日期</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="380"/>
        <source>Delivered</source>
        <translation>签收日期</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="380"/>
        <source>Paid</source>
        <translation>实付</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="384"/>
        <source>Choose the line with the arrow keys; Enter edits it. Next/previous line: {next} / {previous}</source>
        <translation>用方向键选择商品行，回车编辑。下一行/上一行：{next} / {previous}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="386"/>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="883"/>
        <source>Issue the RMA ({key})</source>
        <translation>开具退货单（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="387"/>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="389"/>
        <source>New return ({key})</source>
        <translation>新退货（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="388"/>
        <source>Start again with an empty form ({key})</source>
        <translation>清空表单重新开始（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="390"/>
        <source>Take the next return ({key})</source>
        <translation>受理下一笔退货（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="476"/>
        <source>{code} is not an item of order {order}.</source>
        <translation>{code} 不是订单 {order} 中的商品。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="485"/>
        <source>All {count} returnable units of {item} are on the return already.</source>
        <translation>{item} 的 {count} 件可退数量已全部在本次退货中。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="514"/>
        <source>Type the order number, scan the receipt, or type the customer&apos;s phone or name.</source>
        <translation>请输入订单号、扫描小票，或输入顾客电话或姓名。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="516"/>
        <source>Looking for “{query}”…</source>
        <translation>正在查找“{query}”…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="527"/>
        <source>No sale found for “{query}”. Check the number on the receipt, or search by phone or name.</source>
        <translation>没有找到“{query}”的订单。请核对小票上的号码，或按电话、姓名查找。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="539"/>
        <source>{count} sales match “{query}”: choose one with the arrow keys and Enter.</source>
        <translation>有 {count} 个订单符合“{query}”：用方向键选择后按回车。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="554"/>
        <source>Opening {order}…</source>
        <translation>正在打开 {order}…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="565"/>
        <source>{order}: {count} units can still be returned.</source>
        <translation>{order}：还有 {count} 件可退。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="567"/>
        <source>{order}: every unit of this sale is returned or in process already.</source>
        <translation>{order}：此订单的商品已全部退回或正在处理。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="612"/>
        <source>{name} · {phone}</source>
        <translation>{name} · {phone}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="615"/>
        <source>No customer on the sale</source>
        <translation>订单上没有顾客信息</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="622"/>
        <source>Taken at the shop</source>
        <translation>门店自提</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="622"/>
        <source>Not delivered yet</source>
        <translation>尚未签收</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="624"/>
        <source>{amount} by {method}</source>
        <translation>{amount}（{method}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="631"/>
        <source>Earlier returns of this order: {rmas}</source>
        <translation>此订单以前的退货：{rmas}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="633"/>
        <source>and {count} more</source>
        <translation>等另外 {count} 笔</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="662"/>
        <source>Store credit of this customer: {amount}</source>
        <translation>该顾客的门店储值余额：{amount}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="693"/>
        <source>{number}: {name}</source>
        <translation>{number} 行：{name}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="790"/>
        <source>Find the sale first: type or scan the order number ({key}).</source>
        <translation>请先查找订单：输入或扫描订单号（{key}）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="795"/>
        <source>Set the quantity the customer returns on at least one line.</source>
        <translation>请至少在一个商品行填写顾客退回的数量。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="799"/>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="1028"/>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="803"/>
        <source>Choose the reason for line {lines}.</source>
        <translation>请选择第 {lines} 行的退货原因。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="808"/>
        <source>Line {lines} cannot be returned: set its quantity to 0.</source>
        <translation>第 {lines} 行不能退货：请把数量改为 0。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="813"/>
        <source>Line {lines} is outside the policy: only a supervisor can accept it. Ask a supervisor to take over, or set the line&apos;s quantity to 0.</source>
        <translation>第 {lines} 行不符合退货政策：只有主管可以特批。请主管接手，或把该行数量改为 0。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="816"/>
        <source>Line {lines} is outside the policy: write the override reason.</source>
        <translation>第 {lines} 行不符合退货政策：请填写特批理由。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="823"/>
        <source>Line {lines}: scan or type the serial number of each unit returned; it is checked against the sale before the return is taken.</source>
        <translation>第 {lines} 行：请扫描或输入每件退回商品的序列号；受理退货前会与销售记录核对。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="846"/>
        <source>Cash is paid out at the counter only: choose another refund method for a remote return.</source>
        <translation>现金只能在柜台支付：远程退货请选择其他退款方式。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="881"/>
        <source>Take the return ({key})</source>
        <translation>受理退货（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="888"/>
        <source>Receive the goods now; refunded on the spot when the policy allows ({key})</source>
        <translation>现在收货；政策允许时当场退款（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="890"/>
        <source>Issue and authorize the RMA; then print the return label ({key})</source>
        <translation>开具并批准退货单，然后打印退货标签（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="984"/>
        <source>Accept the lines outside the policy: “{reason}”.</source>
        <translation>受理不符合政策的商品行：“{reason}”。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="1029"/>
        <source>The return was not saved; see line {lines}.</source>
        <translation>退货未保存；请查看第 {lines} 行。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="1030"/>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="1035"/>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="1040"/>
        <source>The return was not saved.</source>
        <translation>退货未保存。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="1050"/>
        <source>RMA issued</source>
        <translation>已开具退货单</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="1054"/>
        <source>Authorized: the customer sends the goods by {date}</source>
        <translation>已批准：顾客须在 {date} 前寄回商品</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="1056"/>
        <source>Authorized: the customer sends the goods</source>
        <translation>已批准：等待顾客寄回商品</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="1058"/>
        <source>Print the return label ({key}) and give or send it to the customer; it goes on the parcel. The refund is paid when the goods have been inspected.</source>
        <translation>打印退货标签（{key}）交给或发给顾客，贴在包裹上。商品检验后退款。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="1061"/>
        <source>Requested: waiting for authorization</source>
        <translation>已申请：等待批准</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="1062"/>
        <source>A supervisor authorizes the request; then print the return label ({key}).</source>
        <translation>由主管批准申请后，再打印退货标签（{key}）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="1063"/>
        <source>Order {order}; expected refund {amount} by {method}.</source>
        <translation>订单 {order}；预计退款 {amount}，退至{method}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="1069"/>
        <source>Not authorized: {reason}</source>
        <translation>未批准：{reason}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="1072"/>
        <source>Walk-in return</source>
        <translation>到店退货</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="1077"/>
        <source>Refunded {amount} by {method}</source>
        <translation>已退款 {amount}（{method}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="1080"/>
        <source>Refund {refund}, credit note {note}. The goods were received and inspected at the counter.</source>
        <translation>退款单 {refund}，贷项通知单 {note}。商品已在柜台收货并检验。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="1082"/>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="1259"/>
        <source>Print the counter receipt ({key}) and ask the customer to sign it.</source>
        <translation>打印柜台退货小票（{key}），请顾客签字。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="1086"/>
        <source>Waiting for {level} approval: {amount}</source>
        <translation>等待{level}审批：{amount}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="1087"/>
        <source>Why: {reasons}</source>
        <translation>原因：{reasons}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="1088"/>
        <source>Print the return label ({key}) for the goods and keep them at the counter; the customer is refunded by {method} once a {level} approves.</source>
        <translation>为商品打印退货标签（{key}）并留在柜台；{level}审批后按{method}退款给顾客。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="1093"/>
        <source>Approved for {amount}, not paid out yet</source>
        <translation>已批准 {amount}，尚未付款</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="1095"/>
        <source>A supervisor pays it out from the return&apos;s page. Print the return label ({key}) for the goods.</source>
        <translation>由主管在退货单页面付款。请为商品打印退货标签（{key}）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="1099"/>
        <source>Received at the counter</source>
        <translation>已在柜台收货</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="1101"/>
        <source>Print the return label ({key}) and put the goods in the inspection area.</source>
        <translation>打印退货标签（{key}），把商品放到质检区。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="1110"/>
        <source>Next</source>
        <translation>下一步</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="1113"/>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="1258"/>
        <source>Print counter receipt ({key})</source>
        <translation>打印柜台小票（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="1115"/>
        <source>Print return label ({key})</source>
        <translation>打印退货标签（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="1116"/>
        <source>Print it on this station&apos;s printer ({key})</source>
        <translation>用本工位的打印机打印（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="1120"/>
        <source>Supervisor sign-off ({key})</source>
        <translation>主管授权（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="1123"/>
        <source>A supervisor approves it here with their password or badge; then the customer is refunded</source>
        <translation>主管在此用密码或工牌授权批准，随后给顾客退款</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="1125"/>
        <source>Choose the replacement ({key})</source>
        <translation>选择换货商品（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="1128"/>
        <source>The customer asked for an exchange: pick the replacement goods and settle the difference</source>
        <translation>顾客要求换货：选择换货商品并结算差价</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="1130"/>
        <source>Approved for an exchange worth {amount}</source>
        <translation>已批准换货，价值 {amount}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="1134"/>
        <source>The customer asked for an exchange, so nothing is refunded. Choose the replacement goods now; if the customer changed their mind, record it in the exchange window.</source>
        <translation>顾客要求换货，因此不退款。请现在选择换货商品；如顾客改变主意，请在换货窗口中登记。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="1137"/>
        <source>Choose the replacement ({key}); print the counter receipt afterwards.</source>
        <translation>选择换货商品（{key}），之后打印柜台收据。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="1148"/>
        <source>{quantity} × {name} ({sku}) · {reason} · {amount}</source>
        <translation>{quantity} × {name}（{sku}）· {reason} · {amount}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="1203"/>
        <location filename="../../desktop/returndesk/ui/screenshots.py" line="457"/>
        <source>Refund of {amount} for {rma}. {reasons}</source>
        <extracomment>The fingerprint shown in the pictures (a real certificate&apos;s is 32 such pairs). A product file as a Chinese shop&apos;s ERP exports it: its own headers, in its own order (GB18030).</extracomment>
        <translation>{rma} 退款 {amount}。{reasons}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="1245"/>
        <source>Exchanged: {order}</source>
        <translation>已换货：{order}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="1248"/>
        <source>The customer paid {amount}.</source>
        <translation>顾客已补差价 {amount}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="1250"/>
        <source>Refunded {amount}.</source>
        <translation>已退还 {amount}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="1252"/>
        <source>Even exchange.</source>
        <translation>等价换货。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="1253"/>
        <source>The replacement is shipped with a packing slip.</source>
        <translation>换货商品随发货单寄出。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="1254"/>
        <source>The replacement was handed over.</source>
        <translation>换货商品已当面交付。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="1269"/>
        <source>Refunding {rma}…</source>
        <translation>正在为 {rma} 退款…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="1300"/>
        <source>Printing…</source>
        <translation>正在打印…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="1337"/>
        <source>Not printed: the preview was closed.</source>
        <translation>未打印：已关闭打印预览。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="1347"/>
        <source>Printed again (reprint {count}): {where}</source>
        <translation>已重印（第 {count} 次重印）：{where}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="1351"/>
        <source>Printed: {where}</source>
        <translation>已打印：{where}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/counter/screen.py" line="1358"/>
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
        <location filename="../../desktop/returndesk/ui/i18n.py" line="216"/>
        <source>Restock</source>
        <translation>重新上架</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="217"/>
        <source>Refurbish</source>
        <translation>送修翻新</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="218"/>
        <source>Return to vendor</source>
        <translation>退回供应商</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="219"/>
        <source>Scrap</source>
        <translation>报废</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="220"/>
        <source>Return to customer</source>
        <translation>退回客户</translation>
    </message>
</context>
<context>
    <name>DocumentType</name>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="280"/>
        <source>Return label</source>
        <translation>退货标签</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="281"/>
        <source>Counter receipt</source>
        <translation>柜台回执</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="282"/>
        <source>Item tag</source>
        <translation>商品标签</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="283"/>
        <source>Credit note</source>
        <translation>贷项通知单</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="284"/>
        <source>Command sheet</source>
        <translation>指令表</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="285"/>
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
        <location filename="../../desktop/returndesk/ui/errors.py" line="215"/>
        <source>Copy details</source>
        <translation>复制详细信息</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/errors.py" line="229"/>
        <source>Details copied</source>
        <translation>已复制详细信息</translation>
    </message>
</context>
<context>
    <name>ErrorPresenter</name>
    <message>
        <location filename="../../desktop/returndesk/ui/errors.py" line="72"/>
        <location filename="../../desktop/returndesk/ui/errors.py" line="78"/>
        <source>ReturnDesk</source>
        <translation>ReturnDesk</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/errors.py" line="80"/>
        <source>Something went wrong while {action}; nothing was saved.</source>
        <translation>{action}时出错，未保存任何内容。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/errors.py" line="84"/>
        <source>Something went wrong; nothing was saved.</source>
        <translation>出错了，未保存任何内容。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/errors.py" line="85"/>
        <source>ReturnDesk: unexpected error</source>
        <translation>ReturnDesk：意外错误</translation>
    </message>
</context>
<context>
    <name>ExchangeDialog</name>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="363"/>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="506"/>
        <source>Exchange {rma}</source>
        <translation>换货 {rma}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="364"/>
        <source>&amp;Find goods:</source>
        <translation>查找商品(&amp;F)：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="365"/>
        <source>Scan or type a barcode, SKU or part of the name</source>
        <translation>扫描或输入条码、SKU 或部分品名</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="366"/>
        <source>Find</source>
        <translation>查找</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="367"/>
        <source>Add to the replacement (Enter)</source>
        <translation>加入换货（回车）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="368"/>
        <source>Replacement</source>
        <translation>换货商品</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="369"/>
        <source>Remove (Del)</source>
        <translation>移除（Del）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="370"/>
        <source>Customer &amp;pays by:</source>
        <translation>顾客付款方式(&amp;P)：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="371"/>
        <source>&amp;Refund by:</source>
        <translation>退款方式(&amp;R)：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="372"/>
        <source>Goods:</source>
        <translation>交付：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="373"/>
        <source>&amp;Hand over now</source>
        <translation>当面交付(&amp;H)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="374"/>
        <source>&amp;Ship later (packing slip)</source>
        <translation>稍后发货（发货单）(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="375"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="376"/>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="377"/>
        <source>Print packing slip ({key})</source>
        <translation>打印发货单（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="379"/>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="381"/>
        <source>Product</source>
        <translation>商品</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="379"/>
        <source>SKU</source>
        <translation>SKU</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="379"/>
        <source>Size / colour</source>
        <translation>尺码/颜色</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="379"/>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="381"/>
        <source>Price</source>
        <translation>单价</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="379"/>
        <source>Available</source>
        <translation>可用库存</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="381"/>
        <source>Quantity</source>
        <translation>数量</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="381"/>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="419"/>
        <source>Opening {rma}…</source>
        <translation>正在打开 {rma}…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="439"/>
        <source>opening the return</source>
        <translation>打开退货单</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="462"/>
        <source>Found: {count}</source>
        <translation>找到 {count} 件商品</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="463"/>
        <source>What the customer brought back, and its other sizes and colours</source>
        <translation>顾客退回的商品及其其他尺码和颜色</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="511"/>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="571"/>
        <source>Exchange ({key})</source>
        <translation>换货（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="514"/>
        <source>Walk-in customer</source>
        <translation>门店顾客</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="515"/>
        <source>Exchange {rma} · {customer}</source>
        <translation>换货 {rma} · {customer}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="522"/>
        <source>asks for an exchange</source>
        <translation>要求换货</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="524"/>
        <source>changed their mind: refund</source>
        <translation>已改为退款</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="526"/>
        <source>refund</source>
        <translation>退款</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="527"/>
        <source>{quantity} × {name} ({sku}) · {amount} · {how}</source>
        <translation>{quantity} × {name}（{sku}）· {amount} · {how}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="536"/>
        <source>Press again to confirm: refund instead of exchange</source>
        <translation>再按一次确认：改为退款</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="537"/>
        <source>Customer wants the money back</source>
        <translation>顾客改为退款</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="539"/>
        <source>The customer changed their mind at the counter: the exchange lines become refund lines (recorded with your name and the time).</source>
        <translation>顾客在柜台改变主意：换货行改为退款行（记录经办人和时间）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="544"/>
        <source>Replacement: {amount}</source>
        <translation>换货商品：{amount}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="545"/>
        <source>Credit from the returned goods: {amount}</source>
        <translation>退回商品抵扣：{amount}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="550"/>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="635"/>
        <source>Choose the replacement goods.</source>
        <translation>请选择换货商品。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="552"/>
        <source>The customer pays {amount}</source>
        <translation>顾客补差价 {amount}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="555"/>
        <source>The shop refunds {amount}</source>
        <translation>门店退还 {amount}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="558"/>
        <source>Even exchange: nothing to pay</source>
        <translation>等价换货：无需补退</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="568"/>
        <source>Take {amount} and exchange ({key})</source>
        <translation>收款 {amount} 并换货（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="581"/>
        <source>reserved, not handed over yet</source>
        <translation>已预留，尚未交付</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="581"/>
        <source>handed over</source>
        <translation>已交付</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="582"/>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="584"/>
        <source>Replacement {order}: {value}, {state}.</source>
        <translation>换货单 {order}：{value}，{state}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="587"/>
        <source>Delivery: {how}.</source>
        <translation>交付方式：{how}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="590"/>
        <source>The customer still owes {amount}.</source>
        <translation>顾客尚欠 {amount}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="594"/>
        <source>Collect {amount}</source>
        <translation>收款 {amount}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="596"/>
        <source>Handed over / shipped</source>
        <translation>已交付/已发货</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="598"/>
        <source>The replacement left the shop: handed to the customer, or shipped with its packing slip</source>
        <translation>换货商品已出店：当面交给顾客，或随发货单寄出</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="624"/>
        <source>Replacement {order} saved.</source>
        <translation>换货单 {order} 已保存。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="631"/>
        <source>The return is not loaded yet.</source>
        <translation>退货单尚未载入。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="633"/>
        <source>This return cannot be exchanged.</source>
        <translation>该退货单不能换货。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="638"/>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="713"/>
        <source>Only {count} of {name} are available.</source>
        <translation>{name} 仅有 {count} 件可用。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="677"/>
        <source>Looking for “{text}”…</source>
        <translation>正在查找“{text}”…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="688"/>
        <source>No product matches “{text}”. Check the code, or search by name.</source>
        <translation>没有与“{text}”匹配的商品。请核对编码，或按品名查找。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="701"/>
        <source>finding the goods</source>
        <translation>查找商品</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="719"/>
        <source>{name} is not available; choose another size or product.</source>
        <translation>{name} 无可用库存；请选择其他尺码或商品。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="724"/>
        <source>{name} added.</source>
        <translation>已加入 {name}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="792"/>
        <source>Recorded: the customer wants the money back; {rma} can now be refunded.</source>
        <translation>已登记：顾客改为退款；{rma} 现在可以退款。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="813"/>
        <source>Exchanging…</source>
        <translation>正在换货…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="824"/>
        <source>exchanging the return</source>
        <translation>办理换货</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="842"/>
        <source>Exchanged: {order}</source>
        <translation>已换货：{order}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="844"/>
        <source>Return {rma} is exchanged for goods worth {value}; the returned goods brought {credit}.</source>
        <translation>退货单 {rma} 已换成价值 {value} 的商品；退回商品抵扣 {credit}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="848"/>
        <source>The customer paid {amount} by {method}.</source>
        <translation>顾客已用{method}补差价 {amount}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="852"/>
        <source>Refunded {amount} by {method} ({refund}).</source>
        <translation>已按{method}退还 {amount}（{refund}）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="857"/>
        <source>The goods are reserved and shipped later: print the packing slip for the parcel.</source>
        <translation>商品已预留，稍后发货：请为包裹打印发货单。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="859"/>
        <source>The goods were handed over at the counter.</source>
        <translation>商品已在柜台当面交付。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="861"/>
        <source>{quantity} × {name} ({sku}) · {amount}</source>
        <translation>{quantity} × {name}（{sku}）· {amount}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="865"/>
        <source>Replacement goods:</source>
        <translation>换货商品：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="878"/>
        <source>Printing…</source>
        <translation>正在打印…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="886"/>
        <source>Printed again (reprint {count}): {where}</source>
        <translation>已重印（第 {count} 次重印）：{where}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="889"/>
        <source>Printed: {where}</source>
        <translation>已打印：{where}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/exchange.py" line="895"/>
        <source>printing the packing slip</source>
        <translation>打印发货单</translation>
    </message>
</context>
<context>
    <name>FeedbackBar</name>
    <message>
        <location filename="../../desktop/returndesk/ui/feedback.py" line="329"/>
        <source>Ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/feedback.py" line="331"/>
        <source>{message} (×{count})</source>
        <translation>{message}（第 {count} 次）</translation>
    </message>
</context>
<context>
    <name>FinanceModels</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/models.py" line="33"/>
        <source>Cash on hand</source>
        <extracomment>The chart of accounts in words (the domain names them in English).</extracomment>
        <translation>库存现金</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/models.py" line="34"/>
        <source>Bank deposits</source>
        <translation>银行存款</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/models.py" line="35"/>
        <source>Customer accounts</source>
        <translation>应收账款（顾客）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/models.py" line="36"/>
        <source>Inventory</source>
        <translation>库存商品</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/models.py" line="37"/>
        <source>Cash over and short (pending)</source>
        <translation>待处理财产损溢（现金长短款）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/models.py" line="38"/>
        <source>Store-credit liability</source>
        <translation>门店储值负债</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/models.py" line="39"/>
        <source>VAT output tax payable</source>
        <translation>应交增值税（销项税额）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/models.py" line="40"/>
        <source>Sales returns and allowances</source>
        <translation>销售退回与折让</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/models.py" line="41"/>
        <source>Shipping charges refunded</source>
        <translation>退还运费</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/models.py" line="42"/>
        <source>Sales revenue</source>
        <translation>主营业务收入</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/models.py" line="43"/>
        <source>Restocking-fee income</source>
        <translation>重新上架费收入</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/models.py" line="44"/>
        <source>Cost of goods sold</source>
        <translation>主营业务成本</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/models.py" line="107"/>
        <source>Refund</source>
        <translation>退款单号</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/models.py" line="108"/>
        <location filename="../../desktop/returndesk/ui/screens/finance/models.py" line="124"/>
        <source>Issued</source>
        <translation>开具时间</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/models.py" line="109"/>
        <location filename="../../desktop/returndesk/ui/screens/finance/models.py" line="125"/>
        <location filename="../../desktop/returndesk/ui/screens/finance/models.py" line="146"/>
        <source>RMA</source>
        <translation>退货单号</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/models.py" line="110"/>
        <location filename="../../desktop/returndesk/ui/screens/finance/models.py" line="126"/>
        <source>Order</source>
        <translation>订单号</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/models.py" line="111"/>
        <location filename="../../desktop/returndesk/ui/screens/finance/models.py" line="128"/>
        <source>Customer</source>
        <translation>顾客</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/models.py" line="112"/>
        <source>Method</source>
        <translation>退款方式</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/models.py" line="113"/>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/models.py" line="114"/>
        <location filename="../../desktop/returndesk/ui/screens/finance/models.py" line="123"/>
        <source>Credit note</source>
        <translation>贷项通知单</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/models.py" line="115"/>
        <source>Cash shift</source>
        <translation>收银班次</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/models.py" line="116"/>
        <location filename="../../desktop/returndesk/ui/screens/finance/models.py" line="166"/>
        <source>Station</source>
        <translation>工位</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/models.py" line="117"/>
        <source>Issued by</source>
        <translation>经办人</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/models.py" line="127"/>
        <source>Invoice</source>
        <translation>发票号码</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/models.py" line="129"/>
        <source>Net</source>
        <translation>不含税金额</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/models.py" line="130"/>
        <source>Tax</source>
        <translation>税额</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/models.py" line="131"/>
        <source>Total</source>
        <translation>合计</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/models.py" line="141"/>
        <source>Entry</source>
        <translation>凭证号</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/models.py" line="142"/>
        <source>Posted</source>
        <translation>记账时间</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/models.py" line="143"/>
        <source>Account</source>
        <translation>科目</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/models.py" line="144"/>
        <source>Debit</source>
        <translation>借方</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/models.py" line="145"/>
        <source>Credit</source>
        <translation>贷方</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/models.py" line="147"/>
        <source>Memo</source>
        <translation>摘要</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/models.py" line="153"/>
        <source>Open</source>
        <translation>未交班</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/models.py" line="154"/>
        <source>Closed</source>
        <translation>已交班</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/models.py" line="165"/>
        <source>Shift</source>
        <translation>班次</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/models.py" line="167"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/models.py" line="168"/>
        <source>Opened</source>
        <translation>开班时间</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/models.py" line="169"/>
        <source>Float</source>
        <translation>备用金</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/models.py" line="170"/>
        <source>Cash refunds</source>
        <translation>现金退款</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/models.py" line="172"/>
        <source>Expected</source>
        <translation>应有</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/models.py" line="173"/>
        <source>Counted</source>
        <translation>实点</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/models.py" line="174"/>
        <source>Difference</source>
        <translation>差额</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/models.py" line="175"/>
        <source>Closed by</source>
        <translation>交班人</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/models.py" line="176"/>
        <source>Note</source>
        <translation>说明</translation>
    </message>
</context>
<context>
    <name>FinanceScreen</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/screen.py" line="252"/>
        <source>Finance desk</source>
        <extracomment>``choose_path(suggested file name, filter) -&gt; chosen path or None`` (tests pass their own).</extracomment>
        <translation>财务工作台</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/screen.py" line="253"/>
        <source>From</source>
        <translation>从</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/screen.py" line="254"/>
        <source>to</source>
        <translation>至</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/screen.py" line="255"/>
        <source>&amp;Show</source>
        <translation>查询(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/screen.py" line="256"/>
        <source>&amp;Export</source>
        <translation>导出(&amp;E)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/screen.py" line="257"/>
        <source>Refunds</source>
        <translation>退款</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/screen.py" line="257"/>
        <source>Journal lines</source>
        <translation>分录</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/screen.py" line="257"/>
        <source>Returns</source>
        <translation>退货单</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/screen.py" line="258"/>
        <source>Excel</source>
        <translation>Excel</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/screen.py" line="258"/>
        <source>CSV</source>
        <translation>CSV</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/screen.py" line="258"/>
        <source>JSON</source>
        <translation>JSON</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/screen.py" line="261"/>
        <source>Red-letter invoice data (Excel)…</source>
        <translation>红字发票数据（Excel）…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/screen.py" line="263"/>
        <source>{what} as {format}…</source>
        <translation>{what}（{format}）…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/screen.py" line="264"/>
        <source>&amp;Refunds</source>
        <translation>退款(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/screen.py" line="264"/>
        <source>&amp;Credit notes</source>
        <translation>贷项通知单(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/screen.py" line="264"/>
        <source>&amp;Journal</source>
        <translation>日记账(&amp;J)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/screen.py" line="265"/>
        <source>Cash &amp;shifts</source>
        <translation>收银班次(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/screen.py" line="270"/>
        <source>All methods</source>
        <translation>全部退款方式</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/screen.py" line="278"/>
        <source>All accounts</source>
        <translation>全部科目</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/screen.py" line="284"/>
        <source>Refund, RMA, order or credit note number, or customer name</source>
        <translation>退款单号、退货单号、订单号、贷项通知单号或顾客姓名</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/screen.py" line="286"/>
        <source>Credit note, RMA, order or invoice number, or customer name</source>
        <translation>贷项通知单号、退货单号、订单号、发票号码或顾客姓名</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/screen.py" line="287"/>
        <source>Shift &amp;report (PDF)…</source>
        <translation>班次报表 PDF(&amp;R)…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/screen.py" line="288"/>
        <source>Totals of the period</source>
        <translation>期间合计</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/screen.py" line="289"/>
        <source>Return</source>
        <translation>退货单</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/screen.py" line="290"/>
        <source>Account</source>
        <translation>科目</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/screen.py" line="290"/>
        <source>Debit</source>
        <translation>借方</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/screen.py" line="290"/>
        <source>Credit</source>
        <translation>贷方</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/screen.py" line="295"/>
        <source>Double-click a row to see its return.</source>
        <translation>双击一行查看对应的退货单。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/screen.py" line="312"/>
        <source>The period starts after it ends; swap the dates.</source>
        <translation>开始日期晚于结束日期，请对调两个日期。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/returndesk/ui/screens/finance/screen.py" line="362"/>
        <source>%n refund(s), {amount} in all</source>
        <translation>
            <numerusform>共 %n 笔退款，合计 {amount}</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/returndesk/ui/screens/finance/screen.py" line="364"/>
        <source>• {method}: %n refund(s), {amount}</source>
        <translation>
            <numerusform>• {method}：%n 笔，{amount}</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/returndesk/ui/screens/finance/screen.py" line="366"/>
        <source>%n credit note(s): net {net}, tax {tax}, total {total}</source>
        <translation>
            <numerusform>%n 张贷项通知单：不含税 {net}，税额 {tax}，合计 {total}</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/screen.py" line="372"/>
        <source>Total</source>
        <translation>合计</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/screen.py" line="396"/>
        <source>{rma} — {status}
Order {order}, {customer}
Refund {refund} (deductions {deductions})</source>
        <translation>{rma} — {status}
订单 {order}，{customer}
退款 {refund}（扣减 {deductions}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/screen.py" line="398"/>
        <source>no customer</source>
        <translation>无顾客信息</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/screen.py" line="405"/>
        <source>Save as</source>
        <translation>另存为</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/screen.py" line="411"/>
        <source>Making the file…</source>
        <translation>正在生成文件…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/screen.py" line="419"/>
        <source>Nothing was saved.</source>
        <translation>未保存任何文件。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/screen.py" line="424"/>
        <source>Cannot write {path}: {reason}. Choose another place.</source>
        <translation>无法写入 {path}：{reason}。请选择其他位置。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/returndesk/ui/screens/finance/screen.py" line="428"/>
        <source>%n row(s) saved to {path}.</source>
        <translation>
            <numerusform>已将 %n 行保存到 {path}。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/screen.py" line="437"/>
        <source>Choose a cash shift first.</source>
        <translation>请先选择一个收银班次。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/finance/screen.py" line="448"/>
        <source>Shift report saved to {path}.</source>
        <translation>班次报表已保存到 {path}。</translation>
    </message>
</context>
<context>
    <name>FirstAdministratorDialog</name>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/first_admin.py" line="75"/>
        <source>Create the administrator</source>
        <translation>创建管理员</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/first_admin.py" line="77"/>
        <source>Nobody can sign in to this database yet. Create its administrator, who then adds the other users and sets their roles and limits.</source>
        <translation>此数据库还没有可以登录的用户。请创建管理员，再由管理员添加其他用户，并设置他们的角色和限额。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/first_admin.py" line="79"/>
        <source>&amp;User name:</source>
        <translation>用户名(&amp;U)：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/first_admin.py" line="79"/>
        <source>&amp;Full name:</source>
        <translation>姓名(&amp;F)：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/first_admin.py" line="80"/>
        <source>&amp;Password:</source>
        <translation>密码(&amp;P)：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/first_admin.py" line="80"/>
        <source>&amp;Repeat password:</source>
        <translation>确认密码(&amp;R)：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/first_admin.py" line="82"/>
        <source>at least {n} characters</source>
        <translation>至少 {n} 个字符</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/first_admin.py" line="93"/>
        <source>Enter a user name.</source>
        <translation>请输入用户名。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/first_admin.py" line="96"/>
        <source>The password must have at least {n} characters.</source>
        <translation>密码至少需要 {n} 个字符。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/first_admin.py" line="99"/>
        <source>The two passwords differ; type the same password twice.</source>
        <translation>两次输入的密码不一致，请输入相同的密码。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/first_admin.py" line="116"/>
        <source>creating the administrator</source>
        <translation>创建管理员</translation>
    </message>
</context>
<context>
    <name>FirstStartDialog</name>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/first_start.py" line="190"/>
        <source>Set up this station</source>
        <translation>设置本工位</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/first_start.py" line="196"/>
        <source>Other &amp;file…</source>
        <translation>其他文件(&amp;F)…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/first_start.py" line="197"/>
        <source>Keep the local database in another file</source>
        <translation>把本地数据库保存在其他文件中</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/first_start.py" line="198"/>
        <source>Fill a new database with &amp;demo data (users, products, sales, returns)</source>
        <translation>在新数据库中填入演示数据（用户、商品、销售、退货）(&amp;D)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/first_start.py" line="206"/>
        <source>&amp;Test connection</source>
        <translation>测试连接(&amp;T)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/first_start.py" line="192"/>
        <source>Choose where this station keeps its data. This computer needs nothing else; several stations work together through a ReturnDesk server.</source>
        <translation>请选择本工位的数据存放位置。存放在本机无需其他设置；多个工位通过 ReturnDesk 服务器协同工作。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/first_start.py" line="194"/>
        <source>Data</source>
        <translation>数据</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/first_start.py" line="195"/>
        <source>&amp;This computer (a local file; for one station)</source>
        <translation>本机（本地文件，适用于单个工位）(&amp;T)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/first_start.py" line="199"/>
        <source>A ReturnDesk &amp;server (several stations)</source>
        <translation>ReturnDesk 服务器（多个工位）(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/first_start.py" line="200"/>
        <source>&amp;Address:</source>
        <translation>地址(&amp;A)：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/first_start.py" line="201"/>
        <source>https://returns.example.lan:8443</source>
        <translation>https://returns.example.lan:8443</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/first_start.py" line="203"/>
        <source>Users sign in at the server with their own name and password; this station keeps no database password. On the first connection the station shows the server certificate&apos;s fingerprint: compare it with the one the administrator got from &apos;returndesk server init&apos;.</source>
        <translation>用户用自己的用户名和密码在服务器上登录；本工位不保存任何数据库密码。首次连接时，工位会显示服务器证书的指纹：请与管理员运行“returndesk server init”时得到的指纹核对。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/first_start.py" line="207"/>
        <source>Reach the server once and report what happened (Alt+T)</source>
        <translation>连接服务器一次并报告结果（Alt+T）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/first_start.py" line="208"/>
        <source>This station</source>
        <translation>本工位</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/first_start.py" line="210"/>
        <source>Station &amp;profile:</source>
        <translation>工位类型(&amp;P)：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/first_start.py" line="210"/>
        <source>Station &amp;name:</source>
        <translation>工位名称(&amp;N)：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/first_start.py" line="210"/>
        <source>Lan&amp;guage:</source>
        <translation>语言(&amp;G)：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/first_start.py" line="211"/>
        <source>&amp;Time zone:</source>
        <translation>时区(&amp;T)：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/first_start.py" line="214"/>
        <source>Return windows count the calendar days of this zone; screens and documents show its time</source>
        <translation>退货期限按此时区的日历日计算；界面和单据显示此时区的时间</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/first_start.py" line="217"/>
        <source>Chooses the screen shown after sign-in</source>
        <translation>决定登录后显示的界面</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/first_start.py" line="218"/>
        <source>Recorded in the audit trail and the print log</source>
        <translation>记录在审计日志和打印日志中</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/first_start.py" line="281"/>
        <source>Local database file</source>
        <translation>本地数据库文件</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/first_start.py" line="282"/>
        <source>ReturnDesk database (*.sqlite3);;All files (*)</source>
        <translation>ReturnDesk 数据库 (*.sqlite3);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/first_start.py" line="294"/>
        <source>Connecting to {address}…</source>
        <translation>正在连接 {address}…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/first_start.py" line="305"/>
        <source>Reached ReturnDesk server {version} at {address}. Its certificate is self-signed; when the station connects you confirm its fingerprint:
{fingerprint}</source>
        <translation>已连接到 {address} 上的 ReturnDesk 服务器 {version}。其证书为自签名证书；工位连接时需要您确认其指纹：
{fingerprint}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/first_start.py" line="309"/>
        <source>Reached ReturnDesk server {version} at {address}; its certificate is signed by a certificate authority this computer trusts.</source>
        <translation>已连接到 {address} 上的 ReturnDesk 服务器 {version}；其证书由本机信任的证书颁发机构签发。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/first_start.py" line="313"/>
        <source>Reached ReturnDesk server {version} at {address} on this computer (without encryption).</source>
        <translation>已连接到本机 {address} 上的 ReturnDesk 服务器 {version}（未加密）。</translation>
    </message>
</context>
<context>
    <name>Fulfilment</name>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="296"/>
        <source>Handed over at the counter</source>
        <translation>柜台当面交付</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="297"/>
        <source>Shipped to the customer</source>
        <translation>寄送给顾客</translation>
    </message>
</context>
<context>
    <name>Grade</name>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="209"/>
        <source>A: new, resealable</source>
        <translation>A：全新，可重新封装</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="210"/>
        <source>B: opened, like new</source>
        <translation>B：已拆封，如新</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="211"/>
        <source>C: used or cosmetically damaged</source>
        <translation>C：使用过或外观损伤</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="212"/>
        <source>D: defective or unusable</source>
        <translation>D：有故障或无法使用</translation>
    </message>
</context>
<context>
    <name>HelpWindow</name>
    <message>
        <location filename="../../desktop/returndesk/ui/help.py" line="187"/>
        <source>The user guide is not installed with this copy of ReturnDesk. Reinstall the program, or read the guide that came with it.</source>
        <translation>此份 ReturnDesk 未安装用户指南。请重新安装程序，或阅读随程序提供的指南。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/help.py" line="195"/>
        <source>ReturnDesk user guide</source>
        <translation>ReturnDesk 用户指南</translation>
    </message>
</context>
<context>
    <name>ImportWizard</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/wizard.py" line="111"/>
        <source>Import data</source>
        <extracomment>How often the import page asks how far the import is (milliseconds). The wizard&apos;s section of the user guide (F1).</extracomment>
        <translation>导入数据</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/wizard.py" line="130"/>
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
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="743"/>
        <source>Kept until the database is back: {scan} (waiting: {count}).</source>
        <translation>已保留，待数据库恢复后处理：{scan}（等待中：{count}）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="770"/>
        <source>Discarded the scans that were waiting for the database ({count}): {scans}. Scan them again.</source>
        <translation>已丢弃等待数据库的扫描（{count}）：{scans}。请重新扫描。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="800"/>
        <source>{rma} received and opened; units expected: {count}. Scan the items.</source>
        <translation>{rma} 已收货并打开；应到件数：{count}。请扫描商品。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="803"/>
        <source>{rma} is open; units scanned: {scanned} of {count}.</source>
        <translation>{rma} 已打开；已扫描 {scanned}/{count} 件。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="806"/>
        <source>{rma} opened; units scanned so far: {scanned} of {count}. Scan the items.</source>
        <translation>{rma} 已打开；目前已扫描 {scanned}/{count} 件。请扫描商品。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="815"/>
        <source>This is not an RMA label; scan the RMA label on the parcel.</source>
        <translation>这不是退货标签；请扫描包裹上的退货标签。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="817"/>
        <source>{rma} is not a known RMA. Do not accept the parcel as a return: put it aside and record it as a parcel without RMA (F11).</source>
        <translation>{rma} 不是已知的退货单。不要作为退货接收：请放到一边，登记为无退货单包裹 (F11)。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="823"/>
        <source>{rma} is {status} (by {who}, {when}); do not accept the parcel.</source>
        <translation>{rma} 状态为{status}（{who}，{when}）；不要接收该包裹。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="826"/>
        <source>{rma} expired on {when}; do not accept the parcel unless customer service issues a new RMA.</source>
        <translation>{rma} 已于 {when} 过期；除非客服重新开具退货单，否则不要接收该包裹。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="829"/>
        <source>{rma} is not authorized yet (it is {status}); do not accept the parcel until customer service authorizes it.</source>
        <translation>{rma} 尚未授权（当前为{status}）；客服授权前不要接收该包裹。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="832"/>
        <source>{rma} was already inspected (by {who}); it is now {status}. Do not inspect it again; a second parcel is recorded as a parcel without RMA.</source>
        <translation>{rma} 已经质检过（{who}），当前为{status}。请勿重复质检；第二个包裹请登记为无退货单包裹。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="835"/>
        <source>{rma} cannot be inspected now.</source>
        <translation>{rma} 目前无法质检。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="858"/>
        <source>No return is open: scan the RMA label on the parcel first.</source>
        <translation>没有打开的退货单：请先扫描包裹上的退货标签。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="862"/>
        <source>{rma} is {status}: nothing more can be scanned on it. Scan the RMA label of the next parcel.</source>
        <translation>{rma} 状态为{status}：不能再扫描。请扫描下一个包裹的退货标签。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="876"/>
        <source>{sku} is serial-tracked: now scan the serial number of this unit (Esc cancels).</source>
        <translation>{sku} 需要序列号：请扫描这一件的序列号（Esc 取消）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="913"/>
        <source>Line {line}: {item} — unit {n} of {m}, grade {grade}, {disposition}.</source>
        <translation>第 {line} 行：{item} — 第 {n}/{m} 件，{grade} 级，{disposition}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="918"/>
        <source>Line {line}: {item} — unit {n} of {m}, grade {grade}, rejected: {disposition}.</source>
        <translation>第 {line} 行：{item} — 第 {n}/{m} 件，{grade} 级，拒收：{disposition}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="923"/>
        <source>More than authorized: line {line} expects {m} × {sku}, all counted. This extra unit is recorded as over: {disposition}.</source>
        <translation>超出授权数量：第 {line} 行应到 {m} × {sku}，已全部清点。多出的这一件记为超收：{disposition}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="927"/>
        <source>Wrong item: {item} is not on {rma}. Recorded as a wrong item: {disposition}.</source>
        <translation>错误商品：{item} 不在 {rma} 上。已记为错误商品：{disposition}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="952"/>
        <source>Current line ▶ {line}: {sku} {name}, {scanned} of {count} scanned.</source>
        <translation>当前行 ▶ {line}：{sku} {name}，已扫描 {scanned}/{count}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="961"/>
        <source>Wrong item: scan the item now; it is recorded as a wrong item, not counted (Esc cancels).</source>
        <translation>错误商品：现在扫描该商品；它将记为错误商品，不计入数量（Esc 取消）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="975"/>
        <source>The command {name} is not used at this station.</source>
        <translation>本工位不使用指令 {name}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="991"/>
        <source>Line {line}: the next units get {next}.</source>
        <translation>第 {line} 行：后续商品为 {next}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="1005"/>
        <source>Unit changed: grade {grade}, {disposition}.</source>
        <translation>已修改该件：{grade} 级，{disposition}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="1008"/>
        <source>Next units of line {line}: {next}.</source>
        <translation>第 {line} 行后续商品：{next}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="1040"/>
        <source>Scan the item first: a check is recorded for the unit scanned last.</source>
        <translation>请先扫描商品：检查结果记在上一件商品上。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="1056"/>
        <source>packaging not intact</source>
        <translation>包装不完好</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="1057"/>
        <source>packaging intact after all</source>
        <translation>包装改为完好</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="1058"/>
        <source>accessories missing</source>
        <translation>配件缺失</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="1059"/>
        <source>accessories complete after all</source>
        <translation>配件改为齐全</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="1060"/>
        <source>does not work</source>
        <translation>无法使用</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="1061"/>
        <source>works after all</source>
        <translation>改为功能正常</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="1063"/>
        <source>Unit checked: {check} — grade {grade}, {disposition}.</source>
        <translation>已登记检查：{check} — {grade} 级，{disposition}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="1077"/>
        <source>Scan the item first: a note is kept with the unit scanned last.</source>
        <translation>请先扫描商品：备注记在上一件商品上。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="1084"/>
        <source>Type the note for the unit scanned last; Enter keeps it, Esc drops it.</source>
        <translation>请输入上一件商品的备注；回车保存，Esc 放弃。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="1112"/>
        <source>Note kept with the unit: “{note}”.</source>
        <translation>已保存该件商品的备注：“{note}”。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="1123"/>
        <source>Cancelled: scan the next item.</source>
        <translation>已取消：请扫描下一件商品。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="1132"/>
        <source>{rma} put aside: the units scanned ({scanned} of {count}) are saved; it stays in the inspection queue.</source>
        <translation>{rma} 已暂存：已扫描的商品（{scanned}/{count}）均已保存；该退货单仍在待质检队列中。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="1135"/>
        <source>{rma} closed. Scan the next RMA label.</source>
        <translation>{rma} 已关闭。请扫描下一个退货标签。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="1138"/>
        <source>Nothing to cancel.</source>
        <translation>没有可取消的操作。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="1154"/>
        <source>Undone: unit {n} ({item}) is removed; its stock moves are reversed.</source>
        <translation>已撤销：第 {n} 件（{item}）已删除，其库存移动已冲回。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="1166"/>
        <source>Choose the line first: scan one of its items, or Next line (F2).</source>
        <translation>请先选择行：扫描该行的商品，或按下一行 (F2)。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="1180"/>
        <source>Line {line} closed short: {missing} of {count} not in the parcel.</source>
        <translation>第 {line} 行按短少关闭：{count} 件中有 {missing} 件不在包裹中。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="1183"/>
        <source>Current line ▶ {line}.</source>
        <translation>当前行 ▶ {line}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="1220"/>
        <source>{rma} inspected and approved automatically: refund {amount}.</source>
        <translation>{rma} 已质检并自动批准：退款 {amount}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="1223"/>
        <source>{rma} inspected and routed for approval by a {level}: refund {amount}.</source>
        <translation>{rma} 已质检，已提交{level}审批：退款 {amount}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="1227"/>
        <source>short: {n}</source>
        <translation>短少：{n}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="1229"/>
        <source>over: {n}</source>
        <translation>超收：{n}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="1231"/>
        <source>wrong items: {n}</source>
        <translation>错误商品：{n}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="1233"/>
        <source>Recorded: {counts}.</source>
        <translation>已记录：{counts}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="1234"/>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="1251"/>
        <source>No item tags: no unit stays in the warehouse.</source>
        <translation>无商品标签：没有商品留在仓库。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="1260"/>
        <source>Item tags printed: {count} ({where}).</source>
        <translation>已打印商品标签：{count}（{where}）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="1259"/>
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
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="1249"/>
        <source>Item tags: {reason}</source>
        <translation>商品标签：{reason}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="1255"/>
        <source>PDF files in {folder}</source>
        <translation>PDF 文件保存在 {folder}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="1270"/>
        <source>No inspection was completed at this station yet: there are no tags to print again.</source>
        <translation>本工位尚未完成任何质检：没有可重新打印的标签。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="1311"/>
        <source>{rma} was changed at another station; the screen shows it as it is now ({status}, units scanned: {scanned} of {count}). Check it before you go on.</source>
        <translation>{rma} 已在其他工位被修改；屏幕显示其当前状态（{status}，已扫描 {scanned}/{count} 件）。请核对后再继续。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="1351"/>
        <source>A worklist could not be loaded: {reason}</source>
        <translation>无法载入工作列表：{reason}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="1389"/>
        <source>Parcel without RMA recorded as #{id} {what}: put it on the shelf for parcels without RMA.</source>
        <translation>无退货单包裹已登记为 #{id} {what}：请放到无退货单包裹货架上。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="1432"/>
        <source>Saving… waiting in order: {count}</source>
        <translation>正在保存… 排队等待：{count}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="1434"/>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="1452"/>
        <source>No return open</source>
        <translation>未打开退货单</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="1455"/>
        <source>Scan the RMA label on the parcel to start.</source>
        <translation>扫描包裹上的退货标签开始。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="1461"/>
        <source>Units: {scanned} / {count}</source>
        <translation>件数：{scanned} / {count}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="1463"/>
        <source>(no customer)</source>
        <translation>（无客户）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="1466"/>
        <source>Customer: {customer}</source>
        <translation>客户：{customer}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="1467"/>
        <source>Order: {order}</source>
        <translation>订单：{order}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="1470"/>
        <source>▶ Line {line} {sku}: next unit {next}</source>
        <translation>▶ 第 {line} 行 {sku}：下一件 {next}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="1473"/>
        <source>Policy, line {line}: {policy}</source>
        <translation>第 {line} 行政策：{policy}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="1483"/>
        <source>Waiting for the serial number of {sku}</source>
        <translation>等待 {sku} 的序列号</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/screen.py" line="1485"/>
        <source>Wrong item: the next scan is recorded as a wrong item</source>
        <translation>错误商品：下一次扫描将记为错误商品</translation>
    </message>
</context>
<context>
    <name>IntegrationsScreen</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/integrations/models.py" line="26"/>
        <location filename="../../desktop/returndesk/ui/screens/integrations/models.py" line="127"/>
        <source>Pending</source>
        <translation>待发送</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/integrations/models.py" line="27"/>
        <source>Delivered</source>
        <translation>已送达</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/integrations/models.py" line="28"/>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/integrations/models.py" line="39"/>
        <source>all events</source>
        <translation>全部事件</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/integrations/models.py" line="45"/>
        <location filename="../../desktop/returndesk/ui/screens/integrations/models.py" line="56"/>
        <source>active</source>
        <translation>有效</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/integrations/models.py" line="46"/>
        <source>disabled</source>
        <translation>已停用</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/integrations/models.py" line="50"/>
        <source>never</source>
        <translation>从未</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/integrations/models.py" line="55"/>
        <source>revoked</source>
        <translation>已吊销</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/integrations/models.py" line="106"/>
        <source>No.</source>
        <translation>编号</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/integrations/models.py" line="107"/>
        <source>Event</source>
        <translation>事件</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/integrations/models.py" line="108"/>
        <source>Subject</source>
        <translation>对象</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/integrations/models.py" line="109"/>
        <source>Occurred</source>
        <translation>发生时间</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/integrations/models.py" line="110"/>
        <source>Webhook</source>
        <translation>接收方</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/integrations/models.py" line="111"/>
        <location filename="../../desktop/returndesk/ui/screens/integrations/models.py" line="143"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/integrations/models.py" line="112"/>
        <source>Attempts</source>
        <translation>尝试次数</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/integrations/models.py" line="113"/>
        <source>Next attempt</source>
        <translation>下次尝试</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/integrations/models.py" line="114"/>
        <location filename="../../desktop/returndesk/ui/screens/integrations/models.py" line="129"/>
        <source>Last error</source>
        <translation>最近错误</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/integrations/models.py" line="123"/>
        <location filename="../../desktop/returndesk/ui/screens/integrations/models.py" line="138"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/integrations/models.py" line="124"/>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/integrations/models.py" line="125"/>
        <source>Events</source>
        <translation>事件</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/integrations/models.py" line="126"/>
        <source>Active</source>
        <translation>启用</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/integrations/models.py" line="128"/>
        <source>Last delivered</source>
        <translation>最近送达</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/integrations/models.py" line="139"/>
        <source>Key begins</source>
        <translation>密钥开头</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/integrations/models.py" line="140"/>
        <source>Scopes</source>
        <translation>权限范围</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/integrations/models.py" line="141"/>
        <source>Created</source>
        <translation>创建时间</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/integrations/models.py" line="142"/>
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
        <location filename="../../desktop/returndesk/ui/live.py" line="127"/>
        <source>Connected</source>
        <translation>已连接</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/live.py" line="163"/>
        <source>Offline: the ReturnDesk server cannot be reached. Reconnecting…</source>
        <translation>离线：无法连接 ReturnDesk 服务器。正在重新连接…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/live.py" line="164"/>
        <source>Offline: the database cannot be reached. Reconnecting…</source>
        <translation>离线：无法连接数据库。正在重新连接…</translation>
    </message>
</context>
<context>
    <name>Location</name>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="263"/>
        <source>Available stock</source>
        <translation>可售库存</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="264"/>
        <source>Inspection</source>
        <translation>质检区</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="265"/>
        <source>Refurbishment</source>
        <translation>翻新</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="266"/>
        <source>Return to vendor</source>
        <translation>退供应商区</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="267"/>
        <source>Scrap</source>
        <translation>报废区</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="268"/>
        <source>Reserved</source>
        <translation>预留</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="269"/>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="270"/>
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
        <source>Database: local file {path}</source>
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
        <location filename="../../desktop/returndesk/ui/main_window.py" line="418"/>
        <source>opening the screen {screen}</source>
        <translation>打开界面“{screen}”</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/main_window.py" line="433"/>
        <location filename="../../desktop/returndesk/ui/main_window.py" line="437"/>
        <source>Connected</source>
        <translation>已连接</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/main_window.py" line="435"/>
        <source>Connecting…</source>
        <translation>正在连接…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/main_window.py" line="439"/>
        <source>Offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/main_window.py" line="472"/>
        <source>saving the time zone</source>
        <translation>保存时区</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/main_window.py" line="518"/>
        <source>About ReturnDesk</source>
        <translation>关于 ReturnDesk</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/main_window.py" line="520"/>
        <source>ReturnDesk {version}</source>
        <translation>ReturnDesk {version}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/main_window.py" line="522"/>
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
        <location filename="../../desktop/returndesk/ui/navigation.py" line="172"/>
        <source>Returns</source>
        <translation>退货查询</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/navigation.py" line="141"/>
        <source>Inspection station</source>
        <translation>仓库质检扫描</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/navigation.py" line="135"/>
        <source>Counter intake</source>
        <extracomment>The module each lazily imported screen comes from (see :func:`preload_start_screens`).</extracomment>
        <translation>柜台退货受理</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/navigation.py" line="138"/>
        <source>Review requests</source>
        <translation>退货申请审核</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/navigation.py" line="144"/>
        <source>Supervisor approval</source>
        <translation>主管审批</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/navigation.py" line="147"/>
        <source>To pay</source>
        <translation>待退款</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/navigation.py" line="149"/>
        <source>Analytics</source>
        <translation>数据分析</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/navigation.py" line="151"/>
        <source>Risk review</source>
        <translation>风险审查</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/navigation.py" line="153"/>
        <source>Supplier claims</source>
        <translation>退供单</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/navigation.py" line="155"/>
        <source>Refurbish and scrap</source>
        <translation>翻新与报废</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/navigation.py" line="158"/>
        <source>Products, customers and suppliers</source>
        <translation>商品、客户和供应商</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/navigation.py" line="161"/>
        <source>Cash drawer</source>
        <translation>收银钱箱</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/navigation.py" line="163"/>
        <source>Finance desk</source>
        <translation>财务工作台</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/navigation.py" line="165"/>
        <source>Administration</source>
        <translation>系统管理</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/navigation.py" line="167"/>
        <source>Integrations</source>
        <translation>系统集成</translation>
    </message>
</context>
<context>
    <name>ParcelsDialog</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/parcels.py" line="141"/>
        <source>Parcels without RMA</source>
        <translation>无单包裹</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/parcels.py" line="143"/>
        <source>Parcels that arrived without a usable RMA, oldest first. Choose one; scan or type its RMA to match it to its return (an authorized return is received at once), or send it back with a note.</source>
        <translation>到货时没有可用退货单号的包裹，最早的在前。选择一个包裹：扫描或输入其退货单号即可与退货单匹配（已授权的退货单随即收货），或填写说明后退回。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/parcels.py" line="146"/>
        <source>Arrived</source>
        <translation>到货时间</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/parcels.py" line="146"/>
        <source>Tracking number</source>
        <translation>运单号</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/parcels.py" line="146"/>
        <source>Sender</source>
        <translation>寄件人</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/parcels.py" line="146"/>
        <source>Order number</source>
        <translation>订单号</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/parcels.py" line="147"/>
        <source>Contents</source>
        <translation>包裹内容</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/parcels.py" line="147"/>
        <source>Recorded by</source>
        <translation>登记人</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/parcels.py" line="148"/>
        <source>&amp;RMA:</source>
        <translation>退货单号(&amp;R)：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/parcels.py" line="149"/>
        <source>Scan or type the RMA of the chosen parcel</source>
        <translation>扫描或输入所选包裹的退货单号</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/parcels.py" line="150"/>
        <source>Match (Enter)</source>
        <translation>匹配（回车）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/parcels.py" line="151"/>
        <source>Send &amp;back:</source>
        <translation>退回(&amp;B)：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/parcels.py" line="152"/>
        <source>Why and how it goes back, e.g. “no order found; returned by SF Express, collect”</source>
        <translation>退回原因及方式，例如“找不到订单；顺丰到付退回”</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/parcels.py" line="154"/>
        <source>Send back ({key})</source>
        <translation>退回（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/parcels.py" line="155"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/parcels.py" line="190"/>
        <source>No parcel without RMA is waiting.</source>
        <translation>没有待处理的无单包裹。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/parcels.py" line="225"/>
        <source>Scan or type the RMA the parcel belongs to.</source>
        <translation>请扫描或输入该包裹所属的退货单号。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/parcels.py" line="235"/>
        <source>Parcel #{id} matched to {rma}; take it to inspection.</source>
        <translation>包裹 #{id} 已匹配到 {rma}；请送去质检。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/parcels.py" line="246"/>
        <source>Write why and how the parcel goes back (at least 5 characters).</source>
        <translation>请写明包裹退回的原因和方式（至少 5 个字符）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/parcels.py" line="257"/>
        <source>Parcel #{id} goes back to its sender.</source>
        <translation>包裹 #{id} 将退回寄件人。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/parcels.py" line="264"/>
        <location filename="../../desktop/returndesk/ui/screens/inspection/parcels.py" line="266"/>
        <source>handling the parcel</source>
        <translation>处理包裹</translation>
    </message>
</context>
<context>
    <name>PasswordDialog</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/users.py" line="109"/>
        <source>New password for {name}</source>
        <translation>为 {name} 设置新密码</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/users.py" line="120"/>
        <source>New password</source>
        <translation>新密码</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/users.py" line="121"/>
        <source>Repeat it</source>
        <translation>再输入一次</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/users.py" line="132"/>
        <source>The two passwords differ; type the same password twice.</source>
        <translation>两次输入的密码不一致，请输入相同的密码。</translation>
    </message>
</context>
<context>
    <name>PolicyForm</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="229"/>
        <source>Name of the version</source>
        <translation>版本名称</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="233"/>
        <source>Yes</source>
        <translation>是</translation>
    </message>
</context>
<context>
    <name>PolicyStatus</name>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="245"/>
        <source>Within policy</source>
        <translation>符合政策</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="246"/>
        <source>Needs a supervisor override</source>
        <translation>需主管特批</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="247"/>
        <source>Not returnable</source>
        <translation>不可退货</translation>
    </message>
</context>
<context>
    <name>PolicyTab</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="51"/>
        <source>Return window (days)</source>
        <translation>退货期限（天）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="52"/>
        <source>Window for vendor faults (days)</source>
        <translation>供应商责任退货期限（天）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="53"/>
        <source>Window of a category (days)</source>
        <translation>品类退货期限（天）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="54"/>
        <source>Non-returnable categories</source>
        <translation>不可退货品类</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="55"/>
        <source>Required conditions</source>
        <translation>必须满足的条件</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="56"/>
        <source>Conditions also for vendor faults</source>
        <translation>供应商责任也须满足条件</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="57"/>
        <source>Refunded share of grade</source>
        <translation>各等级退款比例</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="58"/>
        <source>Restocking fee</source>
        <translation>重新上架费</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="59"/>
        <source>Automatic approval up to</source>
        <translation>自动批准上限</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="60"/>
        <source>A manager approves above</source>
        <translation>超过此金额由经理审批</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="61"/>
        <source>Frequent returner: returns</source>
        <translation>频繁退货：退货次数</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="62"/>
        <source>Frequent returner: within days</source>
        <translation>频繁退货：统计天数</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="63"/>
        <source>Refund shipping on vendor faults</source>
        <translation>供应商责任时退还运费</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="64"/>
        <source>Days for a parcel to arrive</source>
        <translation>包裹寄回期限（天）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="65"/>
        <source>Transit days without a delivery date</source>
        <translation>无签收日期时的在途天数</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="66"/>
        <source>Close settled returns after (days)</source>
        <translation>已结退货单关闭天数</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="67"/>
        <source>Supplier&apos;s answer overdue after (days)</source>
        <translation>供应商答复逾期天数</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="68"/>
        <source>A supervisor signs off scrap above</source>
        <translation>报废价值超过此金额需主管授权</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="69"/>
        <source>Policy text (English)</source>
        <translation>政策文本（英文）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="70"/>
        <source>Policy text (Chinese)</source>
        <translation>政策文本（中文）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="73"/>
        <source>original packaging</source>
        <translation>原包装</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="74"/>
        <source>tags attached</source>
        <translation>吊牌完好</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="75"/>
        <source>accessories complete</source>
        <translation>配件齐全</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="76"/>
        <source>proof of purchase</source>
        <translation>购买凭证</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="77"/>
        <source>factory seal intact</source>
        <translation>出厂封条完好</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="102"/>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="103"/>
        <source>No</source>
        <translation>否</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="120"/>
        <source>“{part}” is not a category window; write them like apparel=60, shoes=45.</source>
        <translation>“{part}”不是品类期限；请写成 apparel=60, shoes=45 这样的格式。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="386"/>
        <source>Published versions</source>
        <translation>已发布版本</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="387"/>
        <source>Draft of the next version</source>
        <translation>下一版本草稿</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="388"/>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="388"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="388"/>
        <source>In effect from</source>
        <translation>生效时间</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="389"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="389"/>
        <source>Published by</source>
        <translation>发布人</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="390"/>
        <source>Setting</source>
        <translation>设置项</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="390"/>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="429"/>
        <source>In force</source>
        <translation>现行</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="390"/>
        <source>Draft</source>
        <translation>草稿</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="391"/>
        <source>&amp;Withdraw before it takes effect</source>
        <translation>生效前撤回(&amp;W)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="392"/>
        <source>S&amp;tart a draft</source>
        <translation>新建草稿(&amp;T)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="393"/>
        <source>Sa&amp;ve draft</source>
        <translation>保存草稿(&amp;V)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="394"/>
        <source>&amp;Discard draft</source>
        <translation>丢弃草稿(&amp;D)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="395"/>
        <source>Takes effect on</source>
        <translation>生效日期</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="396"/>
        <source>&amp;Publish</source>
        <translation>发布(&amp;P)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="431"/>
        <source>Withdrawn</source>
        <translation>已撤回</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="433"/>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="481"/>
        <source>Scheduled</source>
        <translation>待生效</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="434"/>
        <source>Earlier</source>
        <translation>旧版本</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="440"/>
        <source>(installation)</source>
        <translation>（安装时）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="448"/>
        <source>“{name}”, started from version {base}, saved by {who} at {when}.</source>
        <translation>“{name}”，基于版本 {base}，{who} 于 {when} 保存。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="453"/>
        <source>No draft. Version {version} “{name}” is in force; start a draft from it to prepare the next one.</source>
        <translation>暂无草稿。现行版本为 {version}“{name}”；可从它新建草稿来准备下一版本。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="471"/>
        <source>%n setting(s) differ from the version in force.</source>
        <translation>
            <numerusform>与现行版本相比有 %n 项设置不同。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="495"/>
        <source>Next version after {version}</source>
        <translation>版本 {version} 之后的新版本</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="497"/>
        <source>Draft started from the version in force.</source>
        <translation>已从现行版本新建草稿。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="509"/>
        <source>Draft saved.</source>
        <translation>草稿已保存。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="513"/>
        <source>Draft discarded.</source>
        <translation>草稿已丢弃。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="536"/>
        <source>Version {version} published; it judges the returns taken from {when} on.</source>
        <translation>版本 {version} 已发布；自 {when} 起受理的退货按此版本判定。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/policy.py" line="546"/>
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
        <location filename="../../desktop/returndesk/ui/printing.py" line="195"/>
        <source>Print preview</source>
        <extracomment>Highest resolution pages are rendered at for a Qt printer; more only costs memory and time. Makes the QPrinter for a ``qt:&lt;name&gt;`` destination (tests print into a PDF file instead).</extracomment>
        <translation>打印预览</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/printing.py" line="196"/>
        <source>{document} {reference}</source>
        <translation>{document} {reference}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/printing.py" line="199"/>
        <source>(reprint {n})</source>
        <translation>（重印 {n}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/printing.py" line="202"/>
        <source>1 page</source>
        <translation>1 页</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/printing.py" line="202"/>
        <source>{n} pages</source>
        <translation>{n} 页</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/printing.py" line="203"/>
        <source>{pages} · goes to {destination}</source>
        <translation>{pages} · 打印到 {destination}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/printing.py" line="205"/>
        <source>The label printer draws the same label from ZPL at its own resolution.</source>
        <translation>标签打印机按自身分辨率，用 ZPL 打印同样的标签。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/printing.py" line="207"/>
        <source>&amp;Print</source>
        <translation>打印(&amp;P)</translation>
    </message>
</context>
<context>
    <name>PrintService</name>
    <message>
        <location filename="../../desktop/returndesk/ui/printing.py" line="313"/>
        <source>Printing</source>
        <translation>正在打印</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/printing.py" line="314"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/printing.py" line="380"/>
        <location filename="../../desktop/returndesk/ui/printing.py" line="381"/>
        <source>printing</source>
        <translation>打印</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/printing.py" line="403"/>
        <source>Printing {document} {n} of {total}: {reference}</source>
        <translation>正在打印{document}（{n}/{total}）：{reference}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/printing.py" line="424"/>
        <source>{reason} {printed} of {total} were printed before it; the rest were not.</source>
        <translation>{reason} 此前已打印 {printed}/{total} 份，其余未打印。</translation>
    </message>
</context>
<context>
    <name>PrinterSettingsDialog</name>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/printer_settings.py" line="80"/>
        <source>Folder for the PDF files</source>
        <extracomment>The ways to print offered in the dialog, in order (ZPL ones only for labels and tags).</extracomment>
        <translation>PDF 文件的保存文件夹</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/printer_settings.py" line="251"/>
        <source>Not set</source>
        <translation>未设置</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/printer_settings.py" line="252"/>
        <source>System printer</source>
        <translation>系统打印机</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/printer_settings.py" line="253"/>
        <source>CUPS printer</source>
        <translation>CUPS 打印机</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/printer_settings.py" line="254"/>
        <source>PDF files in a folder</source>
        <translation>PDF 文件存入文件夹</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/printer_settings.py" line="255"/>
        <source>Zebra, raw CUPS queue (ZPL)</source>
        <translation>Zebra，CUPS 原始队列 (ZPL)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/printer_settings.py" line="256"/>
        <source>Zebra on the network (ZPL)</source>
        <translation>Zebra 网络打印机 (ZPL)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/printer_settings.py" line="260"/>
        <source>Printers of this station</source>
        <translation>本工位的打印机</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/printer_settings.py" line="261"/>
        <source>Printers of station {station}</source>
        <translation>工位 {station} 的打印机</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/printer_settings.py" line="263"/>
        <source>Choose where each document is printed at this station. A PDF folder works without any printer. Return labels and item tags can also go to a Zebra label printer as ZPL.</source>
        <translation>选择本工位每种单据的打印位置。存入 PDF 文件夹无需打印机。退货标签和商品标签也可以用 ZPL 发送到 Zebra 标签打印机。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/printer_settings.py" line="265"/>
        <source>Printer per document</source>
        <translation>各单据的打印机</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/printer_settings.py" line="266"/>
        <source>Document</source>
        <translation>单据</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/printer_settings.py" line="267"/>
        <source>Print with</source>
        <translation>打印方式</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/printer_settings.py" line="268"/>
        <source>Printer, queue, folder or address</source>
        <translation>打印机、队列、文件夹或地址</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/printer_settings.py" line="278"/>
        <source>Folder…</source>
        <translation>文件夹…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/printer_settings.py" line="279"/>
        <source>Options</source>
        <translation>选项</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/printer_settings.py" line="280"/>
        <source>Show a &amp;preview before printing</source>
        <translation>打印前显示预览(&amp;P)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/printer_settings.py" line="281"/>
        <source>Return &amp;label size:</source>
        <translation>退货标签尺寸(&amp;L)：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/printer_settings.py" line="282"/>
        <source>4 × 6 in (101.6 × 152.4 mm)</source>
        <translation>4 × 6 英寸（101.6 × 152.4 毫米）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/printer_settings.py" line="283"/>
        <source>100 × 150 mm</source>
        <translation>100 × 150 毫米</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/printer_settings.py" line="284"/>
        <source>&amp;Receipt roll:</source>
        <translation>小票纸宽(&amp;R)：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/printer_settings.py" line="285"/>
        <source>80 mm</source>
        <translation>80 毫米</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/printer_settings.py" line="286"/>
        <source>58 mm</source>
        <translation>58 毫米</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/printer_settings.py" line="287"/>
        <source>&amp;Zebra resolution:</source>
        <translation>Zebra 分辨率(&amp;Z)：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/printer_settings.py" line="288"/>
        <source>203 dpi (8 dots/mm)</source>
        <translation>203 dpi（8 点/毫米）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/printer_settings.py" line="289"/>
        <source>300 dpi (12 dots/mm)</source>
        <translation>300 dpi（12 点/毫米）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/printer_settings.py" line="292"/>
        <source>CUPS printers are not listed: {reason}</source>
        <translation>未列出 CUPS 打印机：{reason}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/printer_settings.py" line="316"/>
        <source>reading the printer settings</source>
        <translation>读取打印机设置</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/printer_settings.py" line="331"/>
        <source>Chosen for all stations</source>
        <translation>所有工位通用的设置</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/printer_settings.py" line="358"/>
        <source>/home/counter/labels</source>
        <translation>/home/counter/labels</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/printer_settings.py" line="359"/>
        <source>192.168.1.40:9100</source>
        <translation>192.168.1.40:9100</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/printer_settings.py" line="419"/>
        <source>saving the printer settings</source>
        <translation>保存打印机设置</translation>
    </message>
</context>
<context>
    <name>ReasonDialog</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="217"/>
        <source>Return reason {code}</source>
        <translation>退货原因 {code}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="218"/>
        <source>Add return reason</source>
        <translation>添加退货原因</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="227"/>
        <source>The vendor&apos;s fault (longer window, full refund with shipping)</source>
        <translation>供应商责任（退货期限更长，全额退款含运费）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="244"/>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="245"/>
        <source>English name</source>
        <translation>英文名称</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="246"/>
        <source>Chinese name</source>
        <translation>中文名称</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="248"/>
        <source>Allowed resolutions</source>
        <translation>允许的处理方式</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="262"/>
        <source>Allow at least one resolution: refund or exchange.</source>
        <translation>至少允许一种处理方式：退款或换货。</translation>
    </message>
</context>
<context>
    <name>ReasonsTab</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="311"/>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="311"/>
        <source>English</source>
        <translation>英文</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="311"/>
        <source>Chinese</source>
        <translation>中文</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="311"/>
        <source>Vendor fault</source>
        <translation>供应商责任</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="312"/>
        <source>Allowed resolutions</source>
        <translation>允许的处理方式</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="312"/>
        <source>In use</source>
        <translation>启用</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="313"/>
        <source>&amp;Add reason…</source>
        <translation>添加原因(&amp;A)…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="314"/>
        <source>&amp;Change…</source>
        <translation>修改(&amp;C)…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="330"/>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="330"/>
        <source>No</source>
        <translation>否</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="345"/>
        <source>&amp;Reinstate</source>
        <translation>恢复启用(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="346"/>
        <source>&amp;Retire</source>
        <translation>停用(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/log.py" line="355"/>
        <source>Return reason {code} saved.</source>
        <translation>退货原因 {code} 已保存。</translation>
    </message>
</context>
<context>
    <name>RefundMethod</name>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="224"/>
        <source>Original payment</source>
        <translation>原路退回</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="225"/>
        <source>Store credit</source>
        <translation>门店储值</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="226"/>
        <source>Cash</source>
        <translation>现金</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="227"/>
        <source>Bank transfer</source>
        <translation>银行转账</translation>
    </message>
</context>
<context>
    <name>RefurbishScreen</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/refurbish.py" line="66"/>
        <source>Waiting</source>
        <translation>待处理</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/refurbish.py" line="67"/>
        <source>Back in stock</source>
        <translation>已回库</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/refurbish.py" line="68"/>
        <source>Scrapped</source>
        <translation>已报废</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/refurbish.py" line="72"/>
        <source>Back in stock, grade {grade}</source>
        <translation>已回库，成色 {grade}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/refurbish.py" line="73"/>
        <source>Scrapped: {reason}</source>
        <translation>已报废：{reason}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/refurbish.py" line="74"/>
        <source>{who}, signed off by {supervisor}</source>
        <translation>{who}，主管 {supervisor} 授权</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/refurbish.py" line="93"/>
        <location filename="../../desktop/returndesk/ui/screens/refurbish.py" line="133"/>
        <source>Item tag</source>
        <translation>商品标签</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/refurbish.py" line="93"/>
        <location filename="../../desktop/returndesk/ui/screens/refurbish.py" line="133"/>
        <source>SKU</source>
        <translation>SKU</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/refurbish.py" line="94"/>
        <source>Product</source>
        <translation>商品</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/refurbish.py" line="94"/>
        <source>Grade</source>
        <translation>成色</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/refurbish.py" line="95"/>
        <source>Cost</source>
        <translation>成本</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/refurbish.py" line="134"/>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/refurbish.py" line="134"/>
        <source>Parts</source>
        <translation>配件</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/refurbish.py" line="135"/>
        <source>By</source>
        <translation>处理人</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/refurbish.py" line="311"/>
        <source>Refurbish and scrap</source>
        <translation>翻新与报废</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/refurbish.py" line="312"/>
        <source>Scan an item tag to find its unit ({key})</source>
        <translation>扫描商品标签查找该件商品（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/refurbish.py" line="314"/>
        <source>Refresh ({key})</source>
        <translation>刷新（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/refurbish.py" line="315"/>
        <source>Work on the unit</source>
        <translation>处理该件商品</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/refurbish.py" line="316"/>
        <source>Repair note:</source>
        <translation>维修说明：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/refurbish.py" line="317"/>
        <source>What was done, e.g. new cable, cleaned</source>
        <translation>做了什么，例如：更换数据线、清洁</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/refurbish.py" line="318"/>
        <source>Parts cost:</source>
        <translation>配件成本：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/refurbish.py" line="319"/>
        <source>New grade:</source>
        <translation>新成色：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/refurbish.py" line="320"/>
        <source>Back to stock ({key})</source>
        <translation>回库（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/refurbish.py" line="321"/>
        <source>Scrap reason:</source>
        <translation>报废原因：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/refurbish.py" line="322"/>
        <source>Why it cannot be repaired</source>
        <translation>无法修复的原因</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/refurbish.py" line="323"/>
        <source>Scrap ({key})</source>
        <translation>报废（{key}）</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/returndesk/ui/screens/refurbish.py" line="360"/>
        <source>%n unit(s) waiting for refurbishment</source>
        <translation>
            <numerusform>%n 件商品待翻新</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/refurbish.py" line="361"/>
        <source>No unit is waiting for refurbishment.</source>
        <translation>没有待翻新的商品。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/refurbish.py" line="362"/>
        <source>Finished lately</source>
        <translation>最近处理完成</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/refurbish.py" line="381"/>
        <source>No unit chosen</source>
        <translation>未选择商品</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/refurbish.py" line="382"/>
        <source>Choose a unit in the list, or scan its item tag.</source>
        <translation>请在列表中选择商品，或扫描其商品标签。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/refurbish.py" line="385"/>
        <source>{tag} · {sku} {product} — {status}</source>
        <translation>{tag} · {sku} {product} — {status}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/refurbish.py" line="387"/>
        <source>Graded {grade} at inspection; cost {cost}</source>
        <translation>质检成色 {grade}；成本 {cost}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/refurbish.py" line="390"/>
        <source>Inspection note: {note}</source>
        <translation>质检备注：{note}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/refurbish.py" line="394"/>
        <source>Finished {when} by {who}</source>
        <translation>{who} 于 {when} 处理完成</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/refurbish.py" line="396"/>
        <source>Repair note: {note}</source>
        <translation>维修说明：{note}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/refurbish.py" line="398"/>
        <source>Parts: {amount}</source>
        <translation>配件：{amount}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/refurbish.py" line="400"/>
        <source>Scrap reason: {reason}</source>
        <translation>报废原因：{reason}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/refurbish.py" line="402"/>
        <source>Signed off by {name}</source>
        <translation>授权主管：{name}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/refurbish.py" line="412"/>
        <source>Scrapping above {limit} (cost and parts) needs a supervisor: you are one.</source>
        <translation>报废价值（成本加配件）超过 {limit} 需要主管授权：您就是主管。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/refurbish.py" line="415"/>
        <source>Scrapping above {limit} (cost and parts) needs a supervisor&apos;s sign-off.</source>
        <translation>报废价值（成本加配件）超过 {limit} 需要主管现场授权。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/refurbish.py" line="428"/>
        <source>working on the refurbish queue</source>
        <translation>处理翻新队列</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/refurbish.py" line="470"/>
        <source>“{text}” is not an amount; type the parts cost, e.g. 8.50.</source>
        <translation>“{text}”不是金额；请输入配件成本，例如 8.50。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/refurbish.py" line="486"/>
        <source>{tag} is back in available stock at grade {grade}.</source>
        <translation>{tag} 已按成色 {grade} 回到可售库存。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/refurbish.py" line="496"/>
        <source>Type why the unit is scrapped.</source>
        <translation>请输入报废原因。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/refurbish.py" line="505"/>
        <source>{tag} is scrapped.</source>
        <translation>{tag} 已报废。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/refurbish.py" line="511"/>
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
        <location filename="../../desktop/returndesk/ui/i18n.py" line="240"/>
        <source>Refund</source>
        <translation>退款</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="241"/>
        <source>Exchange</source>
        <translation>换货</translation>
    </message>
</context>
<context>
    <name>ReturnDeskApp</name>
    <message>
        <location filename="../../desktop/returndesk/ui/app.py" line="176"/>
        <source>This station used to log in to the PostgreSQL database itself; stations now work through the ReturnDesk server, and the old login was removed from this computer. Choose &quot;A ReturnDesk server&quot; and enter its address (ask the administrator).</source>
        <extracomment>How often a local database&apos;s housekeeping runs while the application is open.</extracomment>
        <translation>本工位以前直接登录 PostgreSQL 数据库；现在工位通过 ReturnDesk 服务器工作，旧的登录信息已从本机删除。请选择“ReturnDesk 服务器”并输入其地址（请向管理员询问）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/app.py" line="243"/>
        <source>Opening the database {database}…</source>
        <translation>正在打开数据库 {database}…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/app.py" line="267"/>
        <source>The server&apos;s certificate was not confirmed; the station did not connect.</source>
        <translation>未确认服务器的证书；工位没有连接。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/app.py" line="305"/>
        <source>saving the time zone</source>
        <translation>保存时区</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/app.py" line="310"/>
        <source>reading the time zone</source>
        <translation>读取时区</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/app.py" line="345"/>
        <source>The ReturnDesk server at {address} shows a different certificate than the one this station confirmed, so the station does not connect: someone may be intercepting the connection. Confirmed: {pinned}. Now: {presented}. Ask the administrator; only if the server really got a new certificate, choose the server again here and confirm the new fingerprint.</source>
        <translation>{address} 上的 ReturnDesk 服务器出示的证书与本工位确认过的证书不同，因此工位不会连接：可能有人在截取连接。已确认：{pinned}。现在：{presented}。请联系管理员；只有在服务器确实换了新证书时，才在此重新选择该服务器并确认新的指纹。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/app.py" line="333"/>
        <source>opening the database</source>
        <translation>打开数据库</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/app.py" line="357"/>
        <source>ReturnDesk cannot use this database</source>
        <translation>ReturnDesk 无法使用此数据库</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/app.py" line="359"/>
        <source>Choose another database…</source>
        <translation>选择其他数据库…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/app.py" line="360"/>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/app.py" line="387"/>
        <source>The ReturnDesk server has no users yet. The administrator makes the first one on the server&apos;s computer (returndesk user add --role admin NAME); then start this station again.</source>
        <translation>ReturnDesk 服务器还没有用户。请管理员在服务器所在的计算机上创建第一个用户（returndesk user add --role admin NAME），然后重新启动本工位。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/app.py" line="391"/>
        <source>Filling the new database with demo data…</source>
        <translation>正在向新数据库填入演示数据…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/app.py" line="399"/>
        <source>Filling the new database with demo data…
{stage}: {done} of {total}</source>
        <translation>正在向新数据库填入演示数据…
{stage}：{done}/{total}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/app.py" line="409"/>
        <source>filling the demo database</source>
        <translation>填入演示数据</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/app.py" line="449"/>
        <source>listing the demo users</source>
        <translation>列出演示用户</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/app.py" line="582"/>
        <source>An administrator ended your session. Sign in again to go on.</source>
        <translation>管理员已结束您的会话。请重新登录后继续。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/app.py" line="584"/>
        <source>Your account has been disabled. Ask an administrator.</source>
        <translation>您的账户已被停用。请联系管理员。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/app.py" line="586"/>
        <source>Your session has expired. Sign in again to go on.</source>
        <translation>您的会话已过期。请重新登录后继续。</translation>
    </message>
</context>
<context>
    <name>ReturnDetailDialog</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="806"/>
        <source>Return {rma}</source>
        <extracomment>The detail page&apos;s section of the user guide (F1).</extracomment>
        <translation>退货单 {rma}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="806"/>
        <source>Return</source>
        <translation>退货单</translation>
    </message>
</context>
<context>
    <name>ReturnDetailPage</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="297"/>
        <source>Authorize</source>
        <extracomment>The shortcut of each action (the approval desk&apos;s where it has the same action). Actions that need the written reason. Pause after a change notification before the return is read again (a burst costs one read). Where documents are saved when the station has no printer for them.</extracomment>
        <translation>授权</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="298"/>
        <source>Reject request</source>
        <translation>驳回申请</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="299"/>
        <source>Cancel return</source>
        <translation>取消退货</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="300"/>
        <source>Receive parcel</source>
        <translation>签收包裹</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="301"/>
        <source>Inspect</source>
        <translation>质检</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="302"/>
        <source>Approve refund</source>
        <translation>批准退款</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="303"/>
        <source>Override policy</source>
        <translation>政策例外批准</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="304"/>
        <source>Reject refund</source>
        <translation>拒绝退款</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="305"/>
        <source>Issue refund</source>
        <translation>办理退款</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="306"/>
        <source>Exchange…</source>
        <translation>换货…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="307"/>
        <source>Close</source>
        <translation>结案</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="308"/>
        <source>Reopen request</source>
        <translation>重新打开申请</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="309"/>
        <source>Hand over replacement</source>
        <translation>交付换货商品</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="310"/>
        <source>Ship replacement</source>
        <translation>寄出换货商品</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="311"/>
        <source>Cancel exchange</source>
        <translation>取消换货</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="316"/>
        <source>Return</source>
        <translation>退货单</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="317"/>
        <source>Refund</source>
        <translation>退款</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="318"/>
        <source>Actions</source>
        <translation>操作</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="319"/>
        <source>Reason:</source>
        <translation>原因：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="320"/>
        <source>Why — needed to reject, cancel, override or reopen ({key})</source>
        <translation>原因——驳回、取消、例外批准或重新打开时必填（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="322"/>
        <source>Refund by:</source>
        <translation>退款方式：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="323"/>
        <source>Units</source>
        <translation>单件</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="324"/>
        <source>Timeline</source>
        <translation>时间线</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="325"/>
        <source>Documents</source>
        <translation>单据</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="326"/>
        <source>&amp;Print</source>
        <translation>打印(&amp;P)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="327"/>
        <source>Print the selected document; a copy after the first is marked as a reprint ({key})</source>
        <translation>打印选中的单据；第一份之后的每份都标注为补打（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="329"/>
        <source>Print log</source>
        <translation>打印记录</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="383"/>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="385"/>
        <source>reading the return</source>
        <translation>读取退货单</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="434"/>
        <source>No return chosen</source>
        <translation>未选择退货单</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="442"/>
        <source>{status} since {when}</source>
        <translation>自 {when} 起{status}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="444"/>
        <source>No customer recorded</source>
        <translation>未登记顾客</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="447"/>
        <source>Customer</source>
        <translation>顾客</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="450"/>
        <source>{in_window} in {days} days, {all_time} in all</source>
        <translation>近 {days} 天 {in_window} 次，累计 {all_time} 次</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="453"/>
        <source>frequent returner</source>
        <translation>频繁退货</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="454"/>
        <source>Their returns</source>
        <translation>退货记录</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="455"/>
        <source>Order</source>
        <translation>订单</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="456"/>
        <source>{order}, sold {sold}</source>
        <translation>{order}，售出于 {sold}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="458"/>
        <source>Channel</source>
        <translation>渠道</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="459"/>
        <source>Site</source>
        <translation>门店/仓库</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="460"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="462"/>
        <source>Set by</source>
        <translation>设置人</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="465"/>
        <source>Created</source>
        <translation>创建</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="466"/>
        <source>{when} by {who}</source>
        <translation>{when}，{who}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="469"/>
        <source>Station</source>
        <translation>工位</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="470"/>
        <source>Receive by</source>
        <translation>最晚签收日</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="471"/>
        <source>Inspected by</source>
        <translation>质检人</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="474"/>
        <source>Approval</source>
        <translation>审批</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="476"/>
        <source>Override</source>
        <translation>例外批准</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="478"/>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="491"/>
        <source>Paid for the goods</source>
        <translation>商品实付</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="492"/>
        <source>of which tax</source>
        <translation>其中税额</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="493"/>
        <source>Grade deductions</source>
        <translation>等级扣减</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="495"/>
        <source>Restocking fees</source>
        <translation>重新上架费</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="496"/>
        <source>Shipping refunded</source>
        <translation>退还运费</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="498"/>
        <source>Refund total</source>
        <translation>退款合计</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="499"/>
        <source>Method</source>
        <translation>方式</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="502"/>
        <source>{number} by {who}, {when}</source>
        <translation>{number}，{who}，{when}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="505"/>
        <source>credit note {number}</source>
        <translation>贷项通知单 {number}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="506"/>
        <source>Refunded</source>
        <translation>已退款</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="514"/>
        <source>Exchange: replacement order {order} ({status}), goods {value}, difference {difference}</source>
        <translation>换货：换货单 {order}（{status}），换出商品 {value}，差额 {difference}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="519"/>
        <source>stock reserved</source>
        <translation>已预留库存</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="519"/>
        <source>handed over</source>
        <translation>已交付</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="520"/>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="528"/>
        <source>Not possible while the return is {status}.</source>
        <translation>退货单处于“{status}”状态，无法执行。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="531"/>
        <source>Your role ({role}) may not do this.</source>
        <translation>您的角色（{role}）无权执行此操作。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="533"/>
        <source>Not your role: {reason}</source>
        <translation>角色无权：{reason}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="534"/>
        <source>Segregation of duties: {reason}</source>
        <translation>职责分离：{reason}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="535"/>
        <source>Above your limit: {reason}</source>
        <translation>超出您的额度：{reason}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="536"/>
        <source>Return policy: {reason}</source>
        <translation>退货政策：{reason}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="551"/>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="556"/>
        <source>{action} ({key})</source>
        <translation>{action}（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="559"/>
        <source>{action} ({key}): {why}</source>
        <translation>{action}（{key}）：{why}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="562"/>
        <source>{action}: {why}</source>
        <translation>{action}：{why}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="618"/>
        <source>Working…</source>
        <translation>正在处理…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="634"/>
        <source>Return {rma} is authorized.</source>
        <translation>退货单 {rma} 已授权。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="635"/>
        <source>The request {rma} is rejected.</source>
        <translation>退货申请 {rma} 已驳回。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="636"/>
        <source>Return {rma} is cancelled.</source>
        <translation>退货单 {rma} 已取消。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="637"/>
        <source>The parcel of {rma} is received.</source>
        <translation>{rma} 的包裹已签收。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="638"/>
        <source>The refund of {rma} is approved.</source>
        <translation>{rma} 的退款已批准。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="639"/>
        <source>The policy is overridden and the refund of {rma} approved.</source>
        <translation>已按政策例外批准 {rma} 的退款。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="640"/>
        <source>The refund of {rma} is rejected.</source>
        <translation>{rma} 的退款已拒绝。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="641"/>
        <source>The refund of {rma} is issued.</source>
        <translation>{rma} 的退款已办理。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="642"/>
        <source>Return {rma} is closed.</source>
        <translation>退货单 {rma} 已结案。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="643"/>
        <source>The request {rma} is open again and waits for authorization.</source>
        <translation>退货申请 {rma} 已重新打开，等待授权。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="644"/>
        <source>The replacement of {rma} is handed over.</source>
        <translation>{rma} 的换货商品已交付。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="645"/>
        <source>The replacement of {rma} is shipped; its packing slip is printed.</source>
        <translation>{rma} 的换货商品已寄出，发货单已打印。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="647"/>
        <source>The replacement of {rma} is cancelled and its goods are available again; finance settles what the customer is owed.</source>
        <translation>{rma} 的换货已取消，预留商品已恢复可售；应退给顾客的款项由财务结算。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="704"/>
        <source>Printing…</source>
        <translation>正在打印…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="709"/>
        <source>Reprint {n} of {reference} saved: {where}</source>
        <translation>{reference} 第 {n} 次补打已保存：{where}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="712"/>
        <source>{reference} saved: {where}</source>
        <translation>{reference} 已保存：{where}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="720"/>
        <source>Printed: {what}</source>
        <translation>已打印：{what}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="730"/>
        <location filename="../../desktop/returndesk/ui/screens/return_detail/screen.py" line="732"/>
        <source>printing</source>
        <translation>打印</translation>
    </message>
</context>
<context>
    <name>ReturnStatus</name>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="191"/>
        <source>Draft</source>
        <translation>草稿</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="192"/>
        <source>Requested</source>
        <translation>已申请</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="193"/>
        <source>Waiting for the customer</source>
        <translation>等待顾客回复</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="194"/>
        <source>Authorized</source>
        <translation>已授权</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="195"/>
        <source>Received</source>
        <translation>已收货</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="196"/>
        <source>Inspected</source>
        <translation>已质检</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="197"/>
        <source>Awaiting approval</source>
        <translation>待审批</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="198"/>
        <source>Approved</source>
        <translation>已批准</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="199"/>
        <source>Refund rejected</source>
        <translation>退款被拒</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="200"/>
        <source>Refunded</source>
        <translation>已退款</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="201"/>
        <source>Exchanged</source>
        <translation>已换货</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="202"/>
        <source>Closed</source>
        <translation>已关闭</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="203"/>
        <source>Rejected</source>
        <translation>已拒绝</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="204"/>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="205"/>
        <source>Expired</source>
        <translation>已过期</translation>
    </message>
</context>
<context>
    <name>ReturnsListScreen</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="180"/>
        <source>Excel workbook (*.xlsx)</source>
        <extracomment>Chooses the file an export is written to: (parent, suggested name, format) -&gt; path, or None.</extracomment>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="181"/>
        <source>CSV file (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="184"/>
        <source>Export the returns</source>
        <translation>导出退货单</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="391"/>
        <source>Returns</source>
        <translation>退货查询</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="392"/>
        <source>RMA, order number or customer phone</source>
        <translation>退货单号、订单号或顾客电话</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="393"/>
        <source>Type and press Enter to search; empty shows the newest returns ({key})</source>
        <translation>输入后按回车搜索；留空则显示最新的退货单（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="396"/>
        <source>&amp;Search</source>
        <translation>搜索(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="397"/>
        <source>Search (Enter)</source>
        <translation>搜索（回车）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="398"/>
        <source>Status:</source>
        <translation>状态：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="399"/>
        <source>Created from:</source>
        <translation>创建日期从：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="400"/>
        <source>to:</source>
        <translation>至：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="402"/>
        <source>any day</source>
        <translation>不限</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="403"/>
        <source>Days of this station&apos;s site; the earliest day means no limit</source>
        <translation>按本工位所在门店/仓库的日期；最早的日期表示不限</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="404"/>
        <source>Reason:</source>
        <translation>原因：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="405"/>
        <source>Channel:</source>
        <translation>渠道：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="406"/>
        <source>Station:</source>
        <translation>工位：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="407"/>
        <source>station that issued the RMA</source>
        <translation>开具退货单的工位</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="408"/>
        <source>Customer:</source>
        <translation>顾客：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="409"/>
        <source>part of the name or phone</source>
        <translation>姓名或电话的一部分</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="410"/>
        <source>Refund:</source>
        <translation>退款：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="411"/>
        <source>from</source>
        <translation>从</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="412"/>
        <source>to</source>
        <translation>至</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="413"/>
        <source>C&amp;lear filters</source>
        <translation>清除筛选(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="414"/>
        <source>Export to &amp;Excel…</source>
        <translation>导出 Excel(&amp;E)…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="415"/>
        <source>Export to C&amp;SV…</source>
        <translation>导出 CSV(&amp;S)…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="417"/>
        <source>Your role may not export; ask a supervisor or finance.</source>
        <translation>您的角色无权导出；请联系主管或财务。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="421"/>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="422"/>
        <source>Every return the search finds, with these columns</source>
        <translation>导出查询到的全部退货单，列与列表相同</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="423"/>
        <source>Enter or double-click opens the return; click the Created or Refund header to sort</source>
        <translation>回车或双击打开退货单；点击“创建时间”或“退款”列标题排序</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="440"/>
        <source>Any status</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="442"/>
        <source>Any channel</source>
        <translation>全部渠道</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="445"/>
        <source>Any reason</source>
        <translation>全部原因</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="473"/>
        <source>The {which} refund amount “{text}” is not an amount; write it like 120 or 99.50.</source>
        <translation>{which}退款金额“{text}”不是有效金额；请写成 120 或 99.50 这样的格式。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="487"/>
        <source>lowest</source>
        <translation>最低</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="488"/>
        <source>highest</source>
        <translation>最高</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="568"/>
        <source>returns-{day}.{fmt}</source>
        <translation>退货单-{day}.{fmt}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="580"/>
        <source>The file {path} cannot be written ({reason}); choose another place.</source>
        <translation>无法写入文件 {path}（{reason}）；请选择其他位置。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="596"/>
        <source>%n return(s) exported.</source>
        <translation>
            <numerusform>已导出 %n 张退货单。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="597"/>
        <source>File: {path}</source>
        <translation>文件：{path}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="604"/>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="606"/>
        <source>exporting the returns</source>
        <translation>导出退货单</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="623"/>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="625"/>
        <source>loading the returns list</source>
        <translation>载入退货列表</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="635"/>
        <source>Searching…</source>
        <translation>正在搜索…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="637"/>
        <source>No return matches “{query}”. Check the RMA, order number or phone.</source>
        <translation>没有与“{query}”匹配的退货单。请核对退货单号、订单号或电话。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="640"/>
        <source>No return matches these filters. Clear some of them to see more.</source>
        <translation>没有符合这些筛选条件的退货单。清除部分条件可查看更多。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="642"/>
        <source>There are no returns yet.</source>
        <translation>还没有退货单。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="644"/>
        <source>%n return(s).</source>
        <translation>
            <numerusform>共 %n 张退货单。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="646"/>
        <source>%n return(s) shown; scroll down for more.</source>
        <translation>
            <numerusform>已显示 %n 张退货单；向下滚动查看更多。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ReturnsTableModel</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="120"/>
        <source>{status} since {when}</source>
        <extracomment>The columns the list sorts by (in the services, so paging keeps the order).</extracomment>
        <translation>{status}（自 {when} 起）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="160"/>
        <source>RMA</source>
        <translation>退货单号</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="160"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="160"/>
        <source>Order</source>
        <translation>订单号</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="160"/>
        <source>Customer</source>
        <translation>顾客</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="160"/>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="161"/>
        <source>Items</source>
        <translation>件数</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="161"/>
        <source>Refund</source>
        <translation>退款</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="161"/>
        <source>Channel</source>
        <translation>渠道</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/returns_list.py" line="161"/>
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
        <location filename="../../desktop/returndesk/ui/screens/review/models.py" line="284"/>
        <source>{requested} of {bought}</source>
        <translation>{requested} / {bought}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/models.py" line="316"/>
        <source>#</source>
        <translation>#</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/models.py" line="316"/>
        <source>Product</source>
        <translation>商品</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/models.py" line="316"/>
        <source>Qty</source>
        <translation>数量</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/models.py" line="316"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/models.py" line="316"/>
        <source>Wants</source>
        <translation>诉求</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/models.py" line="317"/>
        <source>Policy</source>
        <translation>政策</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/models.py" line="317"/>
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
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="261"/>
        <source>Return requests</source>
        <extracomment>Pause after a change notification before the queue is read again (a burst costs one read).</extracomment>
        <translation>退货申请</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="262"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="263"/>
        <source>Read the queue again ({key})</source>
        <translation>重新读取队列（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="265"/>
        <source>Switch between the two lists ({key})</source>
        <translation>在两个列表之间切换（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="267"/>
        <source>Oldest request first. Up/Down choose a request, Enter authorizes it.</source>
        <translation>最早的申请在前。上下键选择申请，回车批准退货。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="268"/>
        <source>Choose a request in the queue to see it here.</source>
        <translation>在队列中选择一条申请，在此查看。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="270"/>
        <source>Lines and the policy&apos;s verdict</source>
        <translation>明细与政策判定</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="271"/>
        <source>Flags</source>
        <translation>标记</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="272"/>
        <source>Questions to the customer</source>
        <translation>向顾客提出的问题</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="278"/>
        <source>Authorize ({key})</source>
        <translation>批准退货（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="279"/>
        <source>Print label ({key})</source>
        <translation>打印标签（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="280"/>
        <source>Re&amp;ject because:</source>
        <translation>拒绝原因(&amp;J)：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="285"/>
        <source>Reject ({key})</source>
        <translation>拒绝（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="286"/>
        <source>&amp;Question:</source>
        <translation>问题(&amp;Q)：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="282"/>
        <source>Your words for the customer</source>
        <translation>给顾客的说明</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="281"/>
        <source>Outside the policy: why a supervisor accepts it</source>
        <translation>超出退货政策：主管接受的理由</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="283"/>
        <source>Added to the reason chosen; required for “other”. The customer reads them on the status page.</source>
        <translation>附在所选原因之后；选“其他原因”时必填。顾客可在进度查询页面看到。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="287"/>
        <source>Your question to the customer</source>
        <translation>向顾客提出的问题</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="288"/>
        <source>What the customer should tell us; they read it on the status page and answer there, or through the web shop.</source>
        <translation>需要顾客补充的信息；顾客在进度查询页面看到并在那里回复，或通过网店回复。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="290"/>
        <source>Ask the customer ({key})</source>
        <translation>询问顾客（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="291"/>
        <source>The customer&apos;s answer, taken by phone or e-mail</source>
        <translation>顾客通过电话或邮件给出的回复</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="292"/>
        <source>Record answer ({key})</source>
        <translation>记录回复（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="351"/>
        <source>counting the requests</source>
        <translation>统计申请数量</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="361"/>
        <source>To review ({count})</source>
        <translation>待审核（{count}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="362"/>
        <source>To review</source>
        <translation>待审核</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="363"/>
        <source>Waiting for the customer ({count})</source>
        <translation>等待顾客回复（{count}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="364"/>
        <source>Waiting for the customer</source>
        <translation>等待顾客回复</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="386"/>
        <source>reading the review queue</source>
        <translation>读取审核队列</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="396"/>
        <source>Reading the queue…</source>
        <translation>正在读取队列…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="398"/>
        <source>No request waits for a customer&apos;s answer.</source>
        <translation>没有等待顾客回复的申请。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="400"/>
        <source>No request waits for review.</source>
        <translation>没有待审核的申请。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="402"/>
        <source>Requests shown: {count}.</source>
        <translation>已显示申请：{count} 条。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="404"/>
        <source>Requests shown: {count}; scroll down for more.</source>
        <translation>已显示申请：{count} 条；向下滚动查看更多。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="458"/>
        <source>reading the request</source>
        <translation>读取申请</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="478"/>
        <source>from the web shop</source>
        <translation>来自网店</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="479"/>
        <source>taken by {who}</source>
        <translation>由 {who} 受理</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="481"/>
        <source>Walk-in customer</source>
        <translation>到店顾客</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="483"/>
        <source>{name} · {phone}</source>
        <translation>{name} · {phone}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="486"/>
        <source>Customer</source>
        <translation>顾客</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="487"/>
        <source>Order</source>
        <translation>订单</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="487"/>
        <source>{order} · sold {sold}</source>
        <translation>{order} · 售出于 {sold}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="489"/>
        <source>Requested</source>
        <translation>申请时间</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="491"/>
        <source>Label</source>
        <translation>标签</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="491"/>
        <source>sent to the web shop {when}</source>
        <translation>已于 {when} 发送至网店</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="494"/>
        <source>Parcel due</source>
        <translation>包裹寄达期限</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="496"/>
        <source>Customer&apos;s note: {note}</source>
        <translation>顾客备注：{note}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="500"/>
        <source>Reasons of earlier returns: {reasons}</source>
        <translation>以往退货原因：{reasons}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="501"/>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="504"/>
        <source>No earlier returns.</source>
        <translation>没有以往退货。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="507"/>
        <source>{count} declined before</source>
        <translation>曾被拒绝 {count} 次</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="508"/>
        <source>Nothing unusual.</source>
        <translation>无异常。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="511"/>
        <source>{when} {who} asked: {question}</source>
        <translation>{when} {who} 提问：{question}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="514"/>
        <source>{when} {who} answered: {answer}</source>
        <translation>{when} {who} 回复：{answer}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="515"/>
        <source>the customer</source>
        <translation>顾客</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="517"/>
        <source>No answer yet.</source>
        <translation>尚未回复。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="537"/>
        <source>Authorize the request; the return label is sent to the web shop</source>
        <translation>批准该申请；退货标签发送至网店</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="538"/>
        <source>Authorize the request and print its return label</source>
        <translation>批准该申请并打印退货标签</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="540"/>
        <source>Decline the request with the reason chosen and your words</source>
        <translation>按所选原因和您的说明拒绝该申请</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="542"/>
        <source>Put the request on hold and ask the customer the question written in the field</source>
        <translation>暂缓该申请，并向顾客提出输入框中的问题</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="544"/>
        <source>Record the customer&apos;s answer; the request goes back to the queue</source>
        <translation>记录顾客的回复；申请回到审核队列</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="569"/>
        <source>Print the return label again (a marked reprint)</source>
        <translation>再次打印退货标签（标记为重印）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="570"/>
        <source>The label is printed once the request is authorized.</source>
        <translation>申请批准后才能打印标签。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="573"/>
        <source>Waiting for the customer&apos;s answer since {when}. It comes back to the queue when they answer on the status page; record an answer given by phone here, or decline the request.</source>
        <translation>自 {when} 起等待顾客回复。顾客在进度查询页面回复后，申请回到队列；顾客通过电话回复的，请在此记录，或拒绝该申请。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="580"/>
        <source>This request is {status} now; nothing is left to review.</source>
        <translation>该申请当前状态为“{status}”，无需再审核。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="595"/>
        <source>This request is outside the return policy: write why it is accepted (at least {count} characters), then authorize again.</source>
        <translation>该申请超出退货政策：请写明接受的理由（至少 {count} 个字符），然后再次授权。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="601"/>
        <source>authorizing the request</source>
        <translation>批准申请</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="611"/>
        <source>Write why the request is declined (at least {count} characters), then reject again.</source>
        <translation>请填写拒绝原因（至少 {count} 个字），然后再次拒绝。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="616"/>
        <source>rejecting the request</source>
        <translation>拒绝申请</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="625"/>
        <source>Write the question for the customer (at least {count} characters), then ask again.</source>
        <translation>请填写要问顾客的问题（至少 {count} 个字），然后再次询问。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="629"/>
        <source>asking the customer</source>
        <translation>询问顾客</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="638"/>
        <source>Write the customer&apos;s answer (at least {count} characters), then record it again.</source>
        <translation>请填写顾客的回复（至少 {count} 个字），然后再次记录。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="642"/>
        <source>recording the answer</source>
        <translation>记录回复</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="653"/>
        <source>Printing the return label…</source>
        <translation>正在打印退货标签…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="666"/>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="685"/>
        <source> The parcel is due by {date}.</source>
        <translation>包裹须于 {date} 前寄达。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="687"/>
        <source>{rma} authorized; the return label was sent to the web shop.</source>
        <translation>{rma} 已批准；退货标签已发送至网店。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="690"/>
        <source>{rma} authorized; its return label is printing.</source>
        <translation>{rma} 已批准；正在打印退货标签。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="695"/>
        <source>{rma} declined; the customer sees it on the status page.</source>
        <translation>{rma} 已拒绝；顾客可在进度查询页面看到。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="701"/>
        <source>{rma} waits for the customer&apos;s answer; it comes back here when they answer.</source>
        <translation>{rma} 等待顾客回复；顾客回复后回到此队列。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="706"/>
        <source>{rma}: answer recorded; the request is back in the queue to review.</source>
        <translation>{rma}：已记录回复，申请已回到待审核队列。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="728"/>
        <source>Label printed again (reprint {count}): {where}</source>
        <translation>标签已重印（第 {count} 次重印）：{where}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="731"/>
        <source>Label printed: {where}</source>
        <translation>标签已打印：{where}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/review/screen.py" line="741"/>
        <source>Not printed: the preview was closed.</source>
        <translation>未打印：预览已关闭。</translation>
    </message>
</context>
<context>
    <name>RiskScreen</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/risk.py" line="160"/>
        <source>Risk review</source>
        <translation>风险审查</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/risk.py" line="162"/>
        <source>Customers whose returns in the period look unusual. Nothing is refused: look at their returns and, when it is warranted, put them on the watch list so that their refunds always go to a supervisor.</source>
        <translation>本期间内退货行为异常的顾客。系统不会拒绝任何退货：请查看其退货单，确有必要时将其列入关注名单，此后其退款一律交由主管审批。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/risk.py" line="165"/>
        <source>From</source>
        <translation>从</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/risk.py" line="166"/>
        <source>to</source>
        <translation>至</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/risk.py" line="167"/>
        <source>All sites</source>
        <translation>全部门店/仓库</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/risk.py" line="168"/>
        <source>Site code; days are counted in its time zone</source>
        <translation>门店/仓库代码；日期按其时区计算</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/risk.py" line="169"/>
        <source>&amp;Show</source>
        <translation>显示(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/risk.py" line="170"/>
        <location filename="../../desktop/returndesk/ui/screens/risk.py" line="236"/>
        <source>Customer</source>
        <translation>顾客</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/risk.py" line="171"/>
        <source>Open their returns…</source>
        <translation>打开其退货单…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/risk.py" line="172"/>
        <source>Watch: refunds always go to a supervisor</source>
        <translation>关注：退款一律交由主管审批</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/risk.py" line="173"/>
        <source>Note (why; at least 5 characters)</source>
        <translation>备注（原因，至少 5 个字符）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/risk.py" line="174"/>
        <source>Save the watch flag</source>
        <translation>保存关注标记</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/risk.py" line="185"/>
        <source>many returns</source>
        <translation>退货次数多</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/risk.py" line="186"/>
        <source>returns much of what was bought</source>
        <translation>所购商品大部分被退回</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/risk.py" line="187"/>
        <source>high-value grade-D claims</source>
        <translation>高价值 D 级索赔</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/risk.py" line="188"/>
        <source>serial number seen before</source>
        <translation>序列号曾出现过</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/risk.py" line="189"/>
        <source>returns without a receipt</source>
        <translation>无小票退货</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/risk.py" line="190"/>
        <source>on the watch list</source>
        <translation>在关注名单中</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/risk.py" line="199"/>
        <source>The period ends before it starts; swap the dates.</source>
        <translation>结束日期早于开始日期；请对调两个日期。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/risk.py" line="209"/>
        <source>Loading…</source>
        <translation>正在载入…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/risk.py" line="214"/>
        <source>loading the risk review</source>
        <translation>载入风险审查</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/returndesk/ui/screens/risk.py" line="232"/>
        <source>%n customer(s) to review.</source>
        <translation>
            <numerusform>%n 位顾客待审查。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/risk.py" line="236"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/risk.py" line="236"/>
        <source>Returns</source>
        <translation>退货单数</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/risk.py" line="236"/>
        <source>Units back / bought</source>
        <translation>退回件数 / 购买件数</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/risk.py" line="237"/>
        <source>Grade D, high value</source>
        <translation>D 级高价值</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/risk.py" line="237"/>
        <source>Serials seen before</source>
        <translation>序列号曾出现</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/risk.py" line="237"/>
        <source>Without receipt</source>
        <translation>无小票</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/risk.py" line="238"/>
        <source>Signals</source>
        <translation>信号</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/risk.py" line="282"/>
        <source>Select a customer to see why they are listed.</source>
        <translation>选择一位顾客，查看其被列出的原因。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/risk.py" line="285"/>
        <source>{name} ({code}): {returns} return(s), {units} of {bought} unit(s) bought sent back.</source>
        <translation>{name}（{code}）：{returns} 张退货单，所购 {bought} 件中退回 {units} 件。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/risk.py" line="289"/>
        <source>Why: {signals}</source>
        <translation>原因：{signals}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/risk.py" line="309"/>
        <source>Returns of {name}, {start} to {end}</source>
        <translation>{name} 的退货单，{start} 至 {end}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/risk.py" line="332"/>
        <source>saving the watch flag</source>
        <translation>保存关注标记</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/risk.py" line="336"/>
        <source>Saved: the customer is on the watch list.</source>
        <translation>已保存：该顾客已列入关注名单。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/risk.py" line="337"/>
        <source>Saved: the customer is off the watch list.</source>
        <translation>已保存：该顾客已移出关注名单。</translation>
    </message>
</context>
<context>
    <name>Role</name>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="231"/>
        <source>Counter clerk</source>
        <translation>柜台客服</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="232"/>
        <source>Warehouse inspector</source>
        <translation>仓库质检员</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="233"/>
        <source>Supervisor</source>
        <translation>主管</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="234"/>
        <source>Manager</source>
        <translation>经理</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="235"/>
        <source>Finance</source>
        <translation>财务</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="236"/>
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
        <location filename="../../desktop/returndesk/ui/dialogs/scanner_settings.py" line="37"/>
        <source>Return label: RMA {rma}</source>
        <translation>退货标签：退货单 {rma}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/scanner_settings.py" line="38"/>
        <source>Sales receipt: order {order}</source>
        <translation>销售小票：订单 {order}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/scanner_settings.py" line="39"/>
        <source>Inspection command: {name}</source>
        <translation>质检指令：{name}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/scanner_settings.py" line="40"/>
        <source>, serial {serial}</source>
        <translation>，序列号 {serial}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/scanner_settings.py" line="41"/>
        <source>Product barcode {code}{extra}</source>
        <translation>商品条码 {code}{extra}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/scanner_settings.py" line="42"/>
        <source>Item code {code} (not a GTIN: looked up as a SKU)</source>
        <translation>商品编码 {code}（不是 GTIN：按 SKU 查找）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/scanner_settings.py" line="43"/>
        <source>Not understood: {reason}</source>
        <translation>无法识别：{reason}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/scanner_settings.py" line="133"/>
        <source>Scanned “{text}” — {meaning}</source>
        <translation>已扫描“{text}”— {meaning}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/scanner_settings.py" line="148"/>
        <source>Scanners</source>
        <translation>扫描枪</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/scanner_settings.py" line="150"/>
        <source>Set this to match how the station&apos;s USB scanners are programmed. With a prefix, the scanners send STX (Ctrl+B) before each code and Enter after it: scans are recognised whatever has the focus, even over remote desktops. Without a prefix, a fast burst of keys ending with Enter counts as a scan.</source>
        <translation>请按本工位 USB 扫描枪的编程方式设置。使用前缀时，扫描枪在每个条码前发送 STX (Ctrl+B)，之后发送回车：无论焦点在哪里都能识别扫描，远程桌面中也可以。不使用前缀时，以回车结尾的一串快速按键视为一次扫描。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/scanner_settings.py" line="154"/>
        <source>&amp;Recognise scans by:</source>
        <translation>扫描识别方式(&amp;R)：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/scanner_settings.py" line="155"/>
        <source>Prefix STX (recommended)</source>
        <translation>前缀 STX（推荐）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/scanner_settings.py" line="156"/>
        <source>Typing speed only</source>
        <translation>仅按输入速度</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/scanner_settings.py" line="157"/>
        <source>Scanners send the AIM symbology identifier (]C0, ]E0, …)</source>
        <translation>扫描枪发送 AIM 码制标识符（]C0、]E0 …）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/scanner_settings.py" line="158"/>
        <source>Longest &amp;gap between keys:</source>
        <translation>按键最大间隔(&amp;G)：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/scanner_settings.py" line="159"/>
        <source>Shortest &amp;code:</source>
        <translation>最短条码长度(&amp;C)：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/scanner_settings.py" line="160"/>
        <source>Try a scan</source>
        <translation>试扫</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/scanner_settings.py" line="162"/>
        <source>Scan any label, receipt, product or command barcode now: this area says how the station reads it.</source>
        <translation>现在扫描任一标签、小票、商品或指令条码：这里会显示本工位如何识别它。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/scanner_settings.py" line="165"/>
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
        <location filename="../../desktop/returndesk/ui/dialogs/server_certificate.py" line="87"/>
        <source>Confirm the server&apos;s certificate</source>
        <translation>确认服务器证书</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/server_certificate.py" line="89"/>
        <source>This station connects to this ReturnDesk server for the first time. Its certificate is self-signed, so only you can tell whether it is the right server.</source>
        <translation>本工位第一次连接这台 ReturnDesk 服务器。其证书为自签名证书，只有您能判断这是否是正确的服务器。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/server_certificate.py" line="91"/>
        <source>Server:</source>
        <translation>服务器：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/server_certificate.py" line="91"/>
        <source>Made for:</source>
        <translation>签发给：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/server_certificate.py" line="91"/>
        <source>Valid until:</source>
        <translation>有效期至：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/server_certificate.py" line="94"/>
        <source>SHA-256 fingerprint:</source>
        <translation>SHA-256 指纹：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/server_certificate.py" line="96"/>
        <source>Compare every pair with the fingerprint that &apos;returndesk server init&apos; printed on the server (the administrator has it). Trust the server only if they are the same; the station then remembers it and refuses a server that shows another certificate.</source>
        <translation>请逐组与服务器上“returndesk server init”输出的指纹（由管理员提供）核对。只有完全一致时才信任该服务器；工位随后会记住它，并拒绝出示其他证书的服务器。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/server_certificate.py" line="99"/>
        <source>&amp;Trust this server</source>
        <translation>信任此服务器(&amp;T)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/server_certificate.py" line="100"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/sign_in.py" line="157"/>
        <source>Sign in to ReturnDesk</source>
        <translation>登录 ReturnDesk</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/sign_in.py" line="158"/>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/sign_in.py" line="159"/>
        <source>&amp;User name:</source>
        <translation>用户名(&amp;U)：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/sign_in.py" line="160"/>
        <source>&amp;Password:</source>
        <translation>密码(&amp;P)：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/sign_in.py" line="161"/>
        <source>&amp;Sign in</source>
        <translation>登录(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/sign_in.py" line="162"/>
        <source>Sign in (Enter)</source>
        <translation>登录（回车）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/sign_in.py" line="164"/>
        <source>This is a demo database. Click a user to fill in the form:</source>
        <translation>这是演示数据库。点击一个用户即可填入表单：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/sign_in.py" line="165"/>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/sign_in.py" line="165"/>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/sign_in.py" line="165"/>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/sign_in.py" line="170"/>
        <source>Database: {database}</source>
        <translation>数据库：{database}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/sign_in.py" line="257"/>
        <source>This account is locked.</source>
        <translation>此账户已锁定。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/sign_in.py" line="259"/>
        <source>Sign-in failed.</source>
        <translation>登录失败。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/sign_in.py" line="261"/>
        <location filename="../../desktop/returndesk/ui/dialogs/sign_in.py" line="263"/>
        <source>Cannot sign in.</source>
        <translation>无法登录。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/sign_in.py" line="264"/>
        <source>signing in</source>
        <translation>登录</translation>
    </message>
</context>
<context>
    <name>SiteDialog</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/places.py" line="114"/>
        <source>Site {code}</source>
        <translation>门店 {code}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/places.py" line="114"/>
        <source>Add site</source>
        <translation>添加门店</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/places.py" line="130"/>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/places.py" line="131"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/places.py" line="132"/>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/places.py" line="133"/>
        <source>Time zone</source>
        <translation>时区</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/places.py" line="134"/>
        <source>Return address</source>
        <translation>退货地址</translation>
    </message>
</context>
<context>
    <name>SitesTab</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/places.py" line="43"/>
        <source>Shop</source>
        <translation>门店</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/places.py" line="44"/>
        <source>Warehouse</source>
        <translation>仓库</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/places.py" line="292"/>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/places.py" line="292"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/places.py" line="292"/>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/places.py" line="292"/>
        <source>Time zone</source>
        <translation>时区</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/places.py" line="293"/>
        <source>Return address</source>
        <translation>退货地址</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/places.py" line="294"/>
        <source>&amp;Add site…</source>
        <translation>添加门店(&amp;A)…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/places.py" line="295"/>
        <source>&amp;Change…</source>
        <translation>修改(&amp;C)…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/places.py" line="307"/>
        <source>* (all sites)</source>
        <translation>*（所有门店）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/places.py" line="332"/>
        <source>Site {code} saved.</source>
        <translation>门店 {code} 已保存。</translation>
    </message>
</context>
<context>
    <name>StageTargetsDialog</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="149"/>
        <source>Stage targets</source>
        <translation>各阶段目标</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="153"/>
        <source>How many hours a return may wait in each stage before the ageing view counts it as late.</source>
        <translation>退货单在各阶段最多可等待的小时数，超过后在账龄视图中计为超时。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="160"/>
        <source> h</source>
        <translation> 小时</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/analytics.py" line="162"/>
        <source>Default: {hours} h</source>
        <translation>默认：{hours} 小时</translation>
    </message>
</context>
<context>
    <name>StationDialog</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/places.py" line="74"/>
        <source>Station {code}</source>
        <translation>工位 {code}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/places.py" line="74"/>
        <source>Add station</source>
        <translation>添加工位</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/places.py" line="87"/>
        <source>(no site: the installation&apos;s zone)</source>
        <translation>（无门店：使用系统时区）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/places.py" line="94"/>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/places.py" line="95"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/places.py" line="96"/>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/places.py" line="97"/>
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
        <location filename="../../desktop/returndesk/ui/dialogs/station.py" line="109"/>
        <source>Station settings</source>
        <translation>工位设置</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/station.py" line="111"/>
        <source>These settings belong to this computer. The profile chooses the screen shown after sign-in; both apply from the next sign-in.</source>
        <translation>这些设置只属于本机。工位类型决定登录后显示的界面；两项设置都在下次登录时生效。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/station.py" line="113"/>
        <source>Station &amp;profile:</source>
        <translation>工位类型(&amp;P)：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/station.py" line="114"/>
        <source>Station &amp;name:</source>
        <translation>工位名称(&amp;N)：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/station.py" line="115"/>
        <source>&amp;Site code:</source>
        <translation>门店/仓库代码(&amp;S)：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/station.py" line="116"/>
        <source>shop or warehouse code, e.g. SH01 (blank: the whole installation)</source>
        <translation>门店或仓库代码，例如 SH01（留空：整个系统）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/station.py" line="117"/>
        <source>&amp;Time zone:</source>
        <translation>时区(&amp;T)：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/station.py" line="119"/>
        <source>The site&apos;s time zone applies at once to every station of the site: return windows count its calendar days, and screens and documents show its time.</source>
        <translation>所在地的时区立即适用于该地所有工位：退货期限按其日历日计算，界面和单据显示其时间。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/station.py" line="121"/>
        <source>Only an administrator can change the site and its time zone: they decide the return windows.</source>
        <translation>只有管理员可以更改门店/仓库及其时区：它们决定退货期限。</translation>
    </message>
</context>
<context>
    <name>StationsTab</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/places.py" line="37"/>
        <source>Counter</source>
        <translation>柜台</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/places.py" line="38"/>
        <source>Inspection station</source>
        <translation>质检工位</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/places.py" line="39"/>
        <source>Supervisor workstation</source>
        <translation>主管工作台</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/places.py" line="40"/>
        <source>Other station</source>
        <translation>其他工位</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/places.py" line="195"/>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/places.py" line="195"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/places.py" line="195"/>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/places.py" line="195"/>
        <source>Site</source>
        <translation>门店</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/places.py" line="196"/>
        <source>Printers</source>
        <translation>打印机</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/places.py" line="197"/>
        <source>&amp;Add station…</source>
        <translation>添加工位(&amp;A)…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/places.py" line="198"/>
        <source>&amp;Change…</source>
        <translation>修改(&amp;C)…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/places.py" line="199"/>
        <source>&amp;Printers…</source>
        <translation>打印机(&amp;P)…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/places.py" line="217"/>
        <source>as for all stations</source>
        <translation>与所有工位相同</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/places.py" line="242"/>
        <source>Station {code} saved.</source>
        <translation>工位 {code} 已保存。</translation>
    </message>
</context>
<context>
    <name>SupervisorSignOffDialog</name>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/sign_off.py" line="138"/>
        <source>Supervisor sign-off</source>
        <translation>主管授权</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/sign_off.py" line="140"/>
        <source>A supervisor authorises this on your screen: their user name and password, or a scan of their badge. You stay signed in; the supervisor is recorded as the approver.</source>
        <translation>由主管在您的屏幕上授权：输入其用户名和密码，或扫描其工牌。您无需退出登录；主管将被记录为批准人。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/sign_off.py" line="142"/>
        <source>Supervisor &amp;user name:</source>
        <translation>主管用户名(&amp;U)：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/sign_off.py" line="143"/>
        <source>&amp;Password:</source>
        <translation>密码(&amp;P)：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/sign_off.py" line="144"/>
        <source>or scan the &amp;badge:</source>
        <translation>或扫描工牌(&amp;B)：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/sign_off.py" line="145"/>
        <source>Scan the supervisor&apos;s badge</source>
        <translation>扫描主管工牌</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/sign_off.py" line="146"/>
        <source>Sign off</source>
        <translation>授权</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/sign_off.py" line="147"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/sign_off.py" line="187"/>
        <source>Type the supervisor&apos;s user name and password, or scan their badge.</source>
        <translation>请输入主管的用户名和密码，或扫描其工牌。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/sign_off.py" line="192"/>
        <source>Checking…</source>
        <translation>正在核对…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/dialogs/sign_off.py" line="209"/>
        <location filename="../../desktop/returndesk/ui/dialogs/sign_off.py" line="211"/>
        <source>signing off</source>
        <translation>主管授权</translation>
    </message>
</context>
<context>
    <name>TimelineAction</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="509"/>
        <source>Return created</source>
        <translation>创建退货单</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="510"/>
        <source>Submitted</source>
        <translation>提交</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="511"/>
        <source>Authorized</source>
        <translation>授权</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="512"/>
        <source>Request rejected</source>
        <translation>申请被拒</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="513"/>
        <source>Customer asked for information</source>
        <translation>已请顾客补充信息</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="514"/>
        <source>Customer answered</source>
        <translation>顾客已回复</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="515"/>
        <source>Label sent to the web shop</source>
        <translation>标签已发送至网店</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="516"/>
        <source>Cancelled</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="517"/>
        <source>Expired</source>
        <translation>过期</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="518"/>
        <source>Parcel received</source>
        <translation>收到包裹</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="519"/>
        <source>Unit inspected</source>
        <translation>质检一件</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="520"/>
        <source>Unit changed</source>
        <translation>修改质检</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="521"/>
        <source>Unit removed</source>
        <translation>撤销质检</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="522"/>
        <source>Line closed short</source>
        <translation>按短收关闭明细</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="523"/>
        <source>Inspection completed</source>
        <translation>质检完成</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="524"/>
        <source>Routed for approval</source>
        <translation>提交审批</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="525"/>
        <source>Approved automatically</source>
        <translation>自动批准</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="526"/>
        <source>Refund approved</source>
        <translation>批准退款</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="527"/>
        <source>Policy overridden</source>
        <translation>政策特批</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="528"/>
        <source>Refund rejected</source>
        <translation>驳回退款</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="529"/>
        <source>Refund issued</source>
        <translation>办理退款</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="530"/>
        <source>Exchanged</source>
        <translation>换货</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="531"/>
        <source>Closed</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="532"/>
        <source>Held quantity released</source>
        <translation>释放占用数量</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="533"/>
        <source>Request reopened</source>
        <translation>申请已重新打开</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="534"/>
        <source>Quantity held again</source>
        <translation>重新占用数量</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="535"/>
        <source>Replacement shipped</source>
        <translation>换货商品发出</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="536"/>
        <source>Replacement cancelled</source>
        <translation>换货单取消</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="542"/>
        <source>stock reserved</source>
        <translation>已预留库存</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="543"/>
        <source>handed over</source>
        <translation>已交付</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="544"/>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="568"/>
        <source>{before} → {after}</source>
        <translation>{before} → {after}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="574"/>
        <source>line {line}</source>
        <translation>第{line}行</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="580"/>
        <source>grade {grade}</source>
        <translation>等级{grade}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="584"/>
        <source>, </source>
        <translation>，</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="586"/>
        <source>{level} approval</source>
        <translation>{level}审批</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="598"/>
        <source>“{text}”</source>
        <translation>“{text}”</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/approval/models.py" line="599"/>
        <source> · </source>
        <translation> · </translation>
    </message>
</context>
<context>
    <name>ToPayScreen</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/to_pay/screen.py" line="208"/>
        <source>Refunds to pay</source>
        <translation>待退款</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/to_pay/screen.py" line="209"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/to_pay/screen.py" line="210"/>
        <source>Read the worklist again ({key})</source>
        <translation>重新读取待办列表（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/to_pay/screen.py" line="212"/>
        <source>Longest waiting first. Up/Down choose a return, Enter pays it.</source>
        <translation>等待最久的在前。上下键选择退货，回车退款。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/to_pay/screen.py" line="213"/>
        <source>Choose a return in the worklist to pay it.</source>
        <translation>在待办列表中选择一条退货进行退款。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/to_pay/screen.py" line="215"/>
        <source>Lines</source>
        <translation>明细</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/to_pay/screen.py" line="218"/>
        <source>Refund &amp;method ({key}):</source>
        <translation>退款方式（{key}）(&amp;M)：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/to_pay/screen.py" line="219"/>
        <source>Issue refund ({key})</source>
        <translation>退款（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/to_pay/screen.py" line="220"/>
        <source>Print receipt ({key})</source>
        <translation>打印小票（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/to_pay/screen.py" line="221"/>
        <source>Print credit note ({key})</source>
        <translation>打印贷项通知单（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/to_pay/screen.py" line="272"/>
        <source>reading the worklist</source>
        <translation>读取待办列表</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/to_pay/screen.py" line="282"/>
        <source>Reading the worklist…</source>
        <translation>正在读取待办列表…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/to_pay/screen.py" line="284"/>
        <source>Every approved return is paid.</source>
        <translation>所有已批准的退货均已退款。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/to_pay/screen.py" line="290"/>
        <source>Returns to pay: {count}, together {amount}.</source>
        <translation>待退款：{count} 张，共 {amount}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/to_pay/screen.py" line="293"/>
        <source>Returns shown: {count}; scroll down for more.</source>
        <translation>已显示退货：{count} 张；向下滚动查看更多。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/to_pay/screen.py" line="337"/>
        <source>reading the return</source>
        <translation>读取退货单</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/to_pay/screen.py" line="358"/>
        <source>Walk-in customer</source>
        <translation>到店顾客</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/to_pay/screen.py" line="360"/>
        <source>{name} · {phone}</source>
        <translation>{name} · {phone}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/to_pay/screen.py" line="363"/>
        <source>automatically at inspection · {when}</source>
        <translation>质检时自动批准 · {when}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/to_pay/screen.py" line="365"/>
        <source>{who} ({level}) · {when}</source>
        <translation>{who}（{level}）· {when}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/to_pay/screen.py" line="372"/>
        <source>Customer</source>
        <translation>顾客</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/to_pay/screen.py" line="373"/>
        <source>Order</source>
        <translation>订单</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/to_pay/screen.py" line="373"/>
        <source>{order} · sold {sold}</source>
        <translation>{order} · 售出于 {sold}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/to_pay/screen.py" line="375"/>
        <source>Channel</source>
        <translation>渠道</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/to_pay/screen.py" line="375"/>
        <source>At the counter</source>
        <translation>柜台</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/to_pay/screen.py" line="376"/>
        <source>Phone or online (parcel)</source>
        <translation>电话或线上（包裹寄回）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/to_pay/screen.py" line="377"/>
        <source>Approved</source>
        <translation>批准</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/to_pay/screen.py" line="378"/>
        <source>Customer chose</source>
        <translation>顾客选择</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/to_pay/screen.py" line="381"/>
        <source>{number}: {amount} by {method}, {who} at {when}</source>
        <translation>{number}：{amount}，{method}，{who} 于 {when}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/to_pay/screen.py" line="385"/>
        <source>credit note {number}</source>
        <translation>贷项通知单 {number}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/to_pay/screen.py" line="386"/>
        <source>Refund</source>
        <translation>退款</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/to_pay/screen.py" line="409"/>
        <source>Pay back {amount} by the chosen method ({key})</source>
        <translation>按所选方式退还 {amount}（{key}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/to_pay/screen.py" line="412"/>
        <source>Your role may not issue refunds.</source>
        <translation>您的角色无权退款。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/to_pay/screen.py" line="414"/>
        <source>The refund was issued already.</source>
        <translation>该退款已办理。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/to_pay/screen.py" line="416"/>
        <source>Only an approved return is paid here.</source>
        <translation>此处只为已批准的退货退款。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/to_pay/screen.py" line="421"/>
        <source>Print the receipt of this refund</source>
        <translation>打印本次退款的小票</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/to_pay/screen.py" line="422"/>
        <source>The receipt is printed once the refund is issued.</source>
        <translation>退款办理后才能打印小票。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/to_pay/screen.py" line="427"/>
        <source>Print credit note {number}</source>
        <translation>打印贷项通知单 {number}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/to_pay/screen.py" line="428"/>
        <source>The credit note exists once the refund is issued.</source>
        <translation>退款办理后才有贷项通知单。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/to_pay/screen.py" line="430"/>
        <source>Paid. Print the receipt and the credit note for the customer.</source>
        <translation>已退款。请为顾客打印小票和贷项通知单。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/to_pay/screen.py" line="432"/>
        <source>Approved: issue the refund of {amount}.</source>
        <translation>已批准：请办理 {amount} 的退款。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/to_pay/screen.py" line="445"/>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/to_pay/screen.py" line="453"/>
        <source>Refund {number} of {amount} issued by {method}.</source>
        <translation>退款 {number}：{amount}，已按{method}办理。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/to_pay/screen.py" line="456"/>
        <source>Print the receipt ({receipt}) or the credit note {number} ({key}).</source>
        <translation>可打印小票（{receipt}）或贷项通知单 {number}（{key}）。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/to_pay/screen.py" line="475"/>
        <source>issuing the refund</source>
        <translation>办理退款</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/to_pay/screen.py" line="496"/>
        <source>Printing…</source>
        <translation>正在打印…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/to_pay/screen.py" line="502"/>
        <source>Printed again (reprint {count}): {where}</source>
        <translation>已重印（第 {count} 次重印）：{where}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/to_pay/screen.py" line="505"/>
        <source>Printed: {where}</source>
        <translation>已打印：{where}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/to_pay/screen.py" line="515"/>
        <source>Not printed: the preview was closed.</source>
        <translation>未打印：预览已关闭。</translation>
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
        <location filename="../../desktop/returndesk/ui/screens/inspection/parcel.py" line="113"/>
        <source>Parcel without RMA</source>
        <translation>无退货单包裹</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/parcel.py" line="115"/>
        <source>Write down what identifies the parcel, so that it is never lost: at least one of the fields. Scan the carrier&apos;s barcode into the tracking number.</source>
        <translation>记下能识别该包裹的信息，确保不会丢失：至少填写一项。可将快递单条码扫入运单号。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/parcel.py" line="117"/>
        <source>&amp;Tracking number</source>
        <translation>运单号(&amp;T)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/parcel.py" line="119"/>
        <source>&amp;Sender</source>
        <translation>寄件人(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/parcel.py" line="121"/>
        <source>&amp;Order number</source>
        <translation>订单号(&amp;O)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/parcel.py" line="123"/>
        <source>&amp;Contents</source>
        <translation>内容(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/parcel.py" line="125"/>
        <source>Scan or type, then Enter</source>
        <translation>扫描或输入后按回车</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/parcel.py" line="126"/>
        <source>From the packing slip, e.g. SO-1042</source>
        <translation>见装箱单，例如 SO-1042</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/parcel.py" line="127"/>
        <source>Name and city on the parcel</source>
        <translation>包裹上的姓名和城市</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/parcel.py" line="128"/>
        <source>What is inside, e.g. 2 × USB-C charger, opened</source>
        <translation>包裹内容，例如 2 × USB-C 充电器，已拆封</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/inspection/parcel.py" line="184"/>
        <source>Write down at least one thing that identifies the parcel: the tracking number, the sender, an order number or what is inside.</source>
        <translation>请至少填写一项能识别包裹的信息：运单号、寄件人、订单号或包裹内容。</translation>
    </message>
</context>
<context>
    <name>UnitOutcome</name>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="251"/>
        <source>Accepted</source>
        <translation>已接收</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="252"/>
        <source>Rejected</source>
        <translation>拒收</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="253"/>
        <source>More than authorized</source>
        <translation>超出授权</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/i18n.py" line="254"/>
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
        <location filename="../../desktop/returndesk/ui/screens/admin/users.py" line="69"/>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/users.py" line="70"/>
        <source>Display name</source>
        <translation>显示名称</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/users.py" line="71"/>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/users.py" line="72"/>
        <source>Approval limit (¥)</source>
        <translation>审批限额（¥）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/users.py" line="74"/>
        <source>First password</source>
        <translation>初始密码</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/users.py" line="82"/>
        <source>Change user {name}</source>
        <translation>修改用户 {name}</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/users.py" line="82"/>
        <source>Add user</source>
        <translation>添加用户</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/users.py" line="87"/>
        <source>approval limit</source>
        <translation>审批限额</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/users.py" line="89"/>
        <source>Enter the user name the person signs in with.</source>
        <translation>请输入此人登录用的用户名。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/users.py" line="91"/>
        <source>The first password needs at least 8 characters.</source>
        <translation>初始密码至少需要 8 个字符。</translation>
    </message>
</context>
<context>
    <name>UsersTab</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/users.py" line="192"/>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/users.py" line="192"/>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/users.py" line="192"/>
        <source>Own limit</source>
        <translation>本人限额</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/users.py" line="192"/>
        <source>Limit applied</source>
        <translation>实际适用限额</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/users.py" line="193"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/users.py" line="194"/>
        <source>&amp;Add user…</source>
        <translation>添加用户(&amp;A)…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/users.py" line="195"/>
        <source>&amp;Change…</source>
        <translation>修改(&amp;C)…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/users.py" line="196"/>
        <source>New &amp;password…</source>
        <translation>新密码(&amp;P)…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/users.py" line="197"/>
        <source>&amp;Unlock</source>
        <translation>解锁(&amp;U)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/users.py" line="215"/>
        <source>Disabled</source>
        <translation>已停用</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/users.py" line="217"/>
        <source>Locked</source>
        <translation>已锁定</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/users.py" line="218"/>
        <source>Active</source>
        <translation>正常</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/users.py" line="225"/>
        <source>{display} ({username})</source>
        <translation>{display}（{username}）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/users.py" line="246"/>
        <source>&amp;Enable</source>
        <translation>启用(&amp;E)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/users.py" line="246"/>
        <source>&amp;Disable</source>
        <translation>停用(&amp;D)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/users.py" line="264"/>
        <source>User {name} added.</source>
        <translation>用户 {name} 已添加。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/users.py" line="277"/>
        <source>User {name} changed.</source>
        <translation>用户 {name} 已修改。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/users.py" line="284"/>
        <source>User {name} enabled.</source>
        <translation>用户 {name} 已启用。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/users.py" line="284"/>
        <source>User {name} disabled.</source>
        <translation>用户 {name} 已停用。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/users.py" line="297"/>
        <source>The password of {name} was changed.</source>
        <translation>{name} 的密码已修改。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/admin/users.py" line="305"/>
        <source>User {name} unlocked.</source>
        <translation>用户 {name} 已解锁。</translation>
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
        <location filename="../../desktop/returndesk/ui/screens/master_data/wizard.py" line="393"/>
        <source>Check the rows</source>
        <translation>检查各行</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/wizard.py" line="394"/>
        <source>Every row was checked against what ReturnDesk holds; nothing is written yet.</source>
        <translation>已对照 ReturnDesk 中的数据检查了每一行；尚未写入任何内容。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/wizard.py" line="395"/>
        <source>&amp;Save these columns as profile</source>
        <translation>将这些列保存为方案(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/wizard.py" line="396"/>
        <source>e.g. the system the file comes from</source>
        <translation>例如：导出此文件的系统</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/returndesk/ui/screens/master_data/wizard.py" line="413"/>
        <source>%n row(s) would be refused, so nothing can be imported. Correct them in the file (or go back and map the columns differently) and check again.</source>
        <translation>
            <numerusform>有 %n 行会被拒绝，因此无法导入。请在文件中更正这些行（或返回上一步重新对应各列），然后再次检查。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/wizard.py" line="418"/>
        <source>The file holds no rows to import.</source>
        <translation>文件中没有可导入的行。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/returndesk/ui/screens/master_data/wizard.py" line="422"/>
        <source>Read as {encoding}. %n order(s) can be imported.</source>
        <translation>
            <numerusform>按 {encoding} 读取。可以导入 %n 个订单。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/wizard.py" line="424"/>
        <source>Read as {encoding}. {rows} rows: {new} new, {changed} changed, {same} unchanged.</source>
        <translation>按 {encoding} 读取。共 {rows} 行：新增 {new}，修改 {changed}，不变 {same}。</translation>
    </message>
</context>
<context>
    <name>_FilePage</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/wizard.py" line="185"/>
        <source>Choose the file</source>
        <translation>选择文件</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/wizard.py" line="186"/>
        <source>CSV (UTF-8 or GB18030), Excel workbook (.xlsx) or JSON, with the headers of the system that exported it.</source>
        <translation>CSV（UTF-8 或 GB18030）、Excel 工作簿（.xlsx）或 JSON，可以使用导出系统自己的表头。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/wizard.py" line="188"/>
        <source>&amp;Import</source>
        <translation>导入内容(&amp;I)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/wizard.py" line="192"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/wizard.py" line="194"/>
        <source>The file to import</source>
        <translation>要导入的文件</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/wizard.py" line="195"/>
        <source>&amp;Browse…</source>
        <translation>浏览(&amp;B)…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/wizard.py" line="196"/>
        <source>Column &amp;profile</source>
        <translation>列对应方案(&amp;P)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/wizard.py" line="199"/>
        <source>Nothing is written until the last page: the next pages show the first rows, how each column is read, and every row that would be refused.</source>
        <translation>到最后一页之前不会写入任何内容：接下来的页面会显示前几行、每一列如何读取，以及每一个会被拒绝的行。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/wizard.py" line="210"/>
        <source>Choose the file to import</source>
        <translation>选择要导入的文件</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/wizard.py" line="211"/>
        <source>Import files (*.csv *.xlsx *.json);;All files (*)</source>
        <translation>导入文件 (*.csv *.xlsx *.json);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/wizard.py" line="233"/>
        <source>None: guess from the headers</source>
        <translation>无：根据表头自动识别</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/wizard.py" line="250"/>
        <source>The file {path} cannot be read: {reason}</source>
        <translation>无法读取文件 {path}：{reason}</translation>
    </message>
</context>
<context>
    <name>_ImportPage</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/wizard.py" line="471"/>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/wizard.py" line="472"/>
        <source>The rows are written in one go: cancelling before the end writes nothing.</source>
        <translation>所有行一次性写入：在完成前取消则不会写入任何内容。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/wizard.py" line="473"/>
        <source>&amp;Cancel import</source>
        <translation>取消导入(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/wizard.py" line="482"/>
        <source>Starting…</source>
        <translation>正在开始…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/wizard.py" line="499"/>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/wizard.py" line="511"/>
        <source>Reading the file…</source>
        <translation>正在读取文件…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/wizard.py" line="511"/>
        <source>Checking the rows…</source>
        <translation>正在检查各行…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/wizard.py" line="512"/>
        <source>Writing…</source>
        <translation>正在写入…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/wizard.py" line="512"/>
        <source>Finishing…</source>
        <translation>正在完成…</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/wizard.py" line="528"/>
        <source>Done.</source>
        <translation>完成。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/returndesk/ui/screens/master_data/wizard.py" line="530"/>
        <source>%n order(s) imported.</source>
        <translation>
            <numerusform>已导入 %n 个订单。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/wizard.py" line="532"/>
        <source>{rows} rows imported: {new} new, {changed} changed, {same} unchanged.</source>
        <translation>已导入 {rows} 行：新增 {new}，修改 {changed}，不变 {same}。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/wizard.py" line="546"/>
        <source>The import was cancelled; nothing was imported.</source>
        <translation>导入已取消；没有导入任何内容。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/wizard.py" line="548"/>
        <source>importing the file</source>
        <translation>导入文件</translation>
    </message>
</context>
<context>
    <name>_MappingPage</name>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/wizard.py" line="290"/>
        <source>Map the columns</source>
        <translation>对应各列</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/wizard.py" line="291"/>
        <source>Each column of the file goes to one field; the guess from the header is filled in. Columns mapped to nothing are not imported.</source>
        <translation>文件的每一列对应一个字段；已按表头自动填好。未对应字段的列不会导入。</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/wizard.py" line="293"/>
        <source>The first rows of the file:</source>
        <translation>文件的前几行：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/wizard.py" line="294"/>
        <source>Columns:</source>
        <translation>各列：</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/wizard.py" line="295"/>
        <source>Column of the file</source>
        <translation>文件中的列</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/wizard.py" line="295"/>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/wizard.py" line="297"/>
        <location filename="../../desktop/returndesk/ui/screens/master_data/wizard.py" line="331"/>
        <source>(not imported)</source>
        <translation>（不导入）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/wizard.py" line="305"/>
        <source>{field} (required)</source>
        <translation>{field}（必填）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/wizard.py" line="327"/>
        <source>(no header)</source>
        <translation>（无表头）</translation>
    </message>
    <message>
        <location filename="../../desktop/returndesk/ui/screens/master_data/wizard.py" line="355"/>
        <source>Each field can take one column: {fields} is chosen more than once.</source>
        <translation>每个字段只能对应一列：{fields} 被选择了多次。</translation>
    </message>
</context>
</TS>
