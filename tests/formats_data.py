"""Texts we wrote for the format tests and corpus/ (issue 17), and writers of each format."""
from __future__ import annotations

TITLE = "遵义市计生协召开2023年工作会议"
BYLINE = "发布时间：2023-05-12  来源：市计生协"
PARAGRAPHS = [
    "5月10日，遵义市计生协在汇川区召开2023年工作会议。会议指出，2022年全市各级计生协共发放救助金356万元，帮扶困难家庭1200户。",
    "会议要求，2023年全市新建“暖心家园”15个，培训骨干志愿者800人次，赤水市、仁怀市要在年底前完成示范点建设。",
    "会议还表彰了先进集体10个、先进个人35名。",
]
TABLE_CAPTION = "单位：万元"
TABLE = [["项目", "2022年", "2023年"], ["救助金", "356", "400"], ["慰问金", "120.5", "130"]]


def plain_text() -> str:
    return "\n".join([TITLE, BYLINE, *PARAGRAPHS]) + "\n"


def html_page(with_table: bool = True, charset: str = "utf-8") -> str:
    """A saved news page: navigation, the article, a sidebar of other articles with their own figures,
    a footer."""
    paras = "".join(f"<p>　　{p}</p>\n" for p in PARAGRAPHS)
    table = ""
    if with_table:
        table = f"<p>{TABLE_CAPTION}</p><table border=1>" + "".join(
            "<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in TABLE) + "</table>"
    return f"""<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>{TITLE}_工作动态_遵义市计划生育协会</title><meta name="keywords" content="计生协,工作会议"></head>
<body><div class="top"><a href="/">首页</a> | <a href="/gk">协会概况</a> | <a href="/dt">工作动态</a> | <a href="/gg">通知公告</a> | <a href="/lx">联系我们</a></div>
<div class="wrap"><div class="left"><div class="pos">当前位置：<a href="/">首页</a> &gt; <a href="/dt">工作动态</a></div>
<h1>{TITLE}</h1><div class="info">{BYLINE}  浏览次数：128</div>
<div class="content">
{paras}{table}</div>
<div class="share">分享到：微信 微博 QQ空间</div>
<div class="prev">上一篇：<a href="/dt/1.html">市计生协开展“5·29会员活动日”活动</a></div></div>
<div class="right"><h3>热点文章</h3><ul>
<li><a href="/dt/2.html">全省发放奖励扶助金2.6亿元</a><span>2023-04-02</span></li>
<li><a href="/dt/3.html">贵阳市新增计生协会员5000人</a><span>2023-03-18</span></li>
<li><a href="/dt/4.html">安顺市为计生家庭投保9800份</a><span>2023-02-27</span></li></ul></div></div>
<div class="footer">版权所有：遵义市计划生育协会　主办：遵义市计生协　黔ICP备12345678号<br>地址：遵义市汇川区上海路88号　电话：0851-28888888</div>
</body></html>"""


def write_docx(path, with_table: bool = True) -> None:
    import docx

    d = docx.Document()
    d.add_heading(TITLE, level=1)
    d.add_paragraph(BYLINE)
    for p in PARAGRAPHS:
        d.add_paragraph(p)
    if with_table:
        d.add_paragraph(TABLE_CAPTION)
        t = d.add_table(rows=len(TABLE), cols=len(TABLE[0]))
        for i, row in enumerate(TABLE):
            for j, c in enumerate(row):
                t.cell(i, j).text = c
    d.save(str(path))


def write_xlsx(path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "救助情况"
    ws.append(["遵义市计生协2023年救助情况统计表"])
    ws.append([TABLE_CAPTION])
    for i, row in enumerate(TABLE):
        ws.append([c if i == 0 or j == 0 else float(c) for j, c in enumerate(row)])
    wb.save(str(path))


def write_xls(path) -> None:
    """The sheet of write_xlsx as an Excel 97-2003 workbook (xlwt writes that format)."""
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("救助情况")
    rows = [["遵义市计生协2023年救助情况统计表"], [TABLE_CAPTION]]
    rows += [[c if i == 0 or j == 0 else float(c) for j, c in enumerate(row)] for i, row in enumerate(TABLE)]
    for i, row in enumerate(rows):
        for j, c in enumerate(row):
            ws.write(i, j, c)
    wb.save(str(path))
