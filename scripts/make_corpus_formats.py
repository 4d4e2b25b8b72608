"""Generate corpus/ documents in the formats of issue 17, one of each, from texts we wrote ourselves:

    corpus/hunan-changsha-family-planning-news-2023-07.gbk.html   a saved GBK news page (menus, sidebar, footer, a table)
    corpus/jiangxi-ganzhou-women-federation-report-2022.docx       a Word report: headings, paragraphs, a table
    corpus/shaanxi-disabled-persons-relief-2023.xlsx               a statistical sheet: title row, 单位, header, row labels
    corpus/fujian-redcross-archive-2023-q3.zip                     a zipped folder: a .docx and an .mhtml page

    .venv/bin/python scripts/make_corpus_formats.py

Needs python-docx and openpyxl (zhmine's dependencies). Dates inside the files are fixed, so a rebuild
changes no text.
"""
from __future__ import annotations

import io
import zipfile
from datetime import datetime
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
FIXED = datetime(2023, 12, 1, 9, 0, 0)

HTML_TITLE = "长沙市计生协“优生优育进万家”活动成效明显"
HTML_BYLINE = "发布时间：2023-07-18  来源：长沙市计生协"
HTML_PARAS = [
    "今年以来，长沙市各级计生协围绕“优生优育进万家”主题，开展宣传服务活动2360场次，发放宣传资料18.6万份，受益群众达41.3万人次。",
    "浏阳市、宁乡市在全部乡镇建成“向日葵亲子小屋”，全市新建小屋52个，为婴幼儿家庭提供科学育儿指导1.2万人次。",
    "上半年，全市为计生特殊家庭发放扶助金1865.4万元，走访慰问特殊家庭3240户，落实家庭医生签约服务率达到98.5%。",
]
HTML_TABLE = [["项目", "2022年", "2023年上半年"], ["宣传服务活动（场次）", "3980", "2360"],
              ["受益群众（万人次）", "68.2", "41.3"], ["扶助金（万元）", "3520.6", "1865.4"]]


def html_page() -> str:
    paras = "".join(f"<p>　　{p}</p>\n" for p in HTML_PARAS)
    table = "<table border=1>" + "".join(
        "<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in HTML_TABLE) + "</table>"
    return f"""<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>{HTML_TITLE}_工作动态_长沙市计划生育协会</title></head>
<body><div class="nav"><a href="/">网站首页</a> | <a href="/xh">协会简介</a> | <a href="/dt">工作动态</a> | <a href="/tz">通知公告</a> | <a href="/bs">办事指南</a></div>
<div class="main"><div class="crumb">您现在的位置：<a href="/">首页</a> &gt; <a href="/dt">工作动态</a></div>
<h1>{HTML_TITLE}</h1><div class="byline">{HTML_BYLINE}  【字体：大 中 小】</div>
<div class="article">
{paras}<p>长沙市计生协工作情况对比</p>{table}
<p>　　下一步，市计生协将继续深化家庭健康服务，推动活动向社区和农村延伸。</p></div>
<div class="tools">【打印本页】【关闭窗口】</div></div>
<div class="side"><h3>最新动态</h3><ul>
<li><a href="/dt/101.html">株洲市计生协为会员投保意外险6500份</a></li>
<li><a href="/dt/102.html">湘潭市开展青春健康教育讲座120场</a></li>
<li><a href="/dt/103.html">岳阳市新建暖心家园30个</a></li></ul></div>
<div class="foot">主办：长沙市计划生育协会　湘ICP备00000000号　地址：长沙市岳麓区示例路1号　联系电话：0731-80000000</div>
</body></html>"""


DOCX_TITLE = "赣州市妇联2022年工作总结"
DOCX_BODY = [
    ("h", "一、巾帼建功成效显著"),
    ("p", "2022年，全市各级妇联组织开展“赣南巾帼创业行”活动，培训农村妇女2.86万人次，扶持妇女创业项目430个，发放创业担保贷款5.2亿元。"),
    ("p", "瑞金市、于都县建成巾帼家政服务基地14个，带动6800名妇女就业，人均月增收2300元。"),
    ("h", "二、妇女儿童权益有效维护"),
    ("p", "全市妇联系统接待群众来信来访1562件次，办结率达到99.2%；开展“平安家庭”创建活动，新评选示范家庭1200户。"),
    ("p", "（赣州市妇女联合会　2023年1月10日）"),
]
DOCX_TABLE_CAPTION = "单位：万元"
DOCX_TABLE = [["项目", "2021年", "2022年"], ["创业担保贷款", "43000", "52000"], ["两癌救助金", "312.5", "386"]]


def write_docx(path: Path) -> None:
    import docx

    d = docx.Document()
    d.core_properties.title = DOCX_TITLE
    d.core_properties.created = d.core_properties.modified = FIXED
    d.add_heading(DOCX_TITLE, level=0)
    for kind, text in DOCX_BODY[:-1]:
        d.add_heading(text, level=1) if kind == "h" else d.add_paragraph(text)
    d.add_paragraph(DOCX_TABLE_CAPTION)
    t = d.add_table(rows=len(DOCX_TABLE), cols=len(DOCX_TABLE[0]))
    for i, row in enumerate(DOCX_TABLE):
        for j, c in enumerate(row):
            t.cell(i, j).text = c
    d.add_paragraph(DOCX_BODY[-1][1])
    buf = io.BytesIO()
    d.save(buf)
    path.write_bytes(_fixed_zip(buf.getvalue()))


def write_xlsx(path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.properties.created = wb.properties.modified = FIXED
    ws = wb.active
    ws.title = "2023年救助"
    ws.append(["陕西省残疾人救助资金发放情况表（2023年）"])
    ws.append(["单位：万元"])
    ws.append(["地区", "生活补贴", "护理补贴", "康复救助"])
    for row in (["西安市", 8650.2, 7420.8, 1260.0], ["宝鸡市", 3120.5, 2680.0, 540.3],
                ["咸阳市", 3460.0, 2950.6, 612.4], ["汉中市", 2870.3, 2410.2, 498.0]):
        ws.append(row)
    ws.merge_cells("A1:D1")
    buf = io.BytesIO()
    wb.save(buf)
    path.write_bytes(_fixed_zip(buf.getvalue()))


MHTML_TITLE = "福建省红十字会2023年第三季度工作简报"
MHTML_PARAS = [
    "第三季度，全省各级红十字会开展应急救护培训1320期，培训持证救护员3.96万人。",
    "台风“杜苏芮”过境期间，省红十字会向福州市、莆田市调拨家庭包1500个、赈济箱800个，紧急拨付救灾资金260万元。",
    "截至9月底，全省新增造血干细胞志愿者登记4210人，实现捐献37例。",
]


def mhtml_page() -> bytes:
    paras = "".join(f"<p>{p}</p>" for p in MHTML_PARAS)
    page = (f"<html><head><title>{MHTML_TITLE}</title><meta name='publishdate' content='2023-10-12'></head><body>"
            f"<div class='menu'><a href='/'>首页</a> <a href='/news'>红会动态</a></div><h1>{MHTML_TITLE}</h1>"
            f"<div class='date'>日期：2023年10月12日</div><div class='text'>{paras}</div>"
            "<div class='foot'>福建省红十字会 版权所有</div></body></html>")
    msg = MIMEMultipart("related")
    msg["Subject"] = MHTML_TITLE
    msg["Date"] = "Thu, 12 Oct 2023 09:00:00 +0800"
    msg.set_boundary("----=_NextPart_zhmine_corpus")
    msg.attach(MIMEText(page, "html", "utf-8"))
    return msg.as_bytes()


def _fixed_zip(data: bytes) -> bytes:
    """The same package with fixed member times (a rebuild gives the same bytes)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            z.writestr(zipfile.ZipInfo(info.filename, FIXED.timetuple()[:6]), src.read(info.filename),
                       compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def write_zip(path: Path) -> None:
    files = {"2023-q3/briefing.mhtml": mhtml_page(), "2023-q3/docs/fuzhou-redcross-summary.docx": _fuzhou_docx()}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(zipfile.ZipInfo(name, FIXED.timetuple()[:6]), data, compress_type=zipfile.ZIP_DEFLATED)


def _fuzhou_docx() -> bytes:
    import docx

    d = docx.Document()
    d.core_properties.created = d.core_properties.modified = FIXED
    d.add_heading("福州市红十字会2023年前三季度工作小结", level=0)
    d.add_paragraph("前三季度，福州市红十字会募集救灾救助款物折合人民币1120.6万元，救助困难群众1.35万人次。")
    d.add_paragraph("全市新增公共场所AED 210台，累计达到1480台；无偿献血2.6万人次。")
    d.add_paragraph("（福州市红十字会　2023年10月8日）")
    buf = io.BytesIO()
    d.save(buf)
    return _fixed_zip(buf.getvalue())


def main() -> None:
    (CORPUS / "hunan-changsha-family-planning-news-2023-07.gbk.html").write_bytes(html_page().encode("gbk"))
    write_docx(CORPUS / "jiangxi-ganzhou-women-federation-report-2022.docx")
    write_xlsx(CORPUS / "shaanxi-disabled-persons-relief-2023.xlsx")
    write_zip(CORPUS / "fujian-redcross-archive-2023-q3.zip")
    for p in sorted(CORPUS.iterdir()):
        print(p.name, p.stat().st_size)


if __name__ == "__main__":
    main()
