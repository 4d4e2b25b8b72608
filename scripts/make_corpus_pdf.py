"""Generate corpus/zhejiang-redcross-newsletter-2023-04.pdf: a two-column newsletter page layout with a
full-width masthead, so that ingest's column reading is exercised on a PDF we own.

    .venv/bin/python scripts/make_corpus_pdf.py [out.pdf]

Needs reportlab (the `dev` extra). STSong-Light is one of reportlab's built-in CID fonts: no font
file is needed, and the PDF carries a real text layer. The text is our own writing.
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "corpus" / "zhejiang-redcross-newsletter-2023-04.pdf"

MASTHEAD = "浙江红十字工作通讯"
ISSUE = "2023年第4期（总第118期）  浙江省红十字会办公室编  2023年12月20日"

# (title, byline, paragraphs, source line); our own text in the genre of the shared corpus
ARTICLES = [
    ("应急救护培训走进千村万户", "□通讯员 周晓燕",
     ["2023年，全省各级红十字会坚持把应急救护培训作为服务群众的重要抓手，共举办救护员培训班1862期，"
      "培训救护员6.83万人，开展普及性培训4127场次，受益群众达42.6万人次，较上年增长18.5%。",
      "杭州市红十字会联合市教育局在全市中小学推进“救在身边”项目，全年培训师生2.1万人，"
      "新建校园应急救护站86个。湖州市安吉县在12个乡镇（街道）实现救护培训站点全覆盖。",
      "截至11月底，全省累计在公共场所配置自动体外除颤器（AED）8930台，其中宁波市配置1260台，"
      "温州市配置985台，每10万人AED配置数达到13.6台。"],
     "（省红十字会赈济救护部）"),
    ("人道救助温暖困难群众", "□本刊记者 沈立群",
     ["今年以来，省红十字会筹集救助资金3260.5万元，开展“博爱送万家”活动，走访慰问困难家庭2.46万户，"
      "发放慰问物资折合人民币1185万元。",
      "在台风“杜苏芮”影响期间，温州市苍南县、平阳县红十字会第一时间启动应急响应，调拨帐篷320顶、"
      "家庭包1500个、棉被2400床，转移安置受灾群众3870人。",
      "嘉兴市红十字会实施“大病救助”项目，全年救助大病患者412名，发放救助金306.8万元，"
      "人均救助7446元。"],
     "（嘉兴市红十字会）"),
    ("无偿献血和遗体器官捐献工作稳步推进", "□通讯员 陆一鸣",
     ["全省全年无偿献血人数达到58.7万人次，献血总量96.2吨。新增造血干细胞捐献志愿者登记1.35万人，"
      "实现捐献97例，累计捐献达到1036例。",
      "遗体器官捐献登记人数新增4.8万人，实现遗体捐献218例、器官捐献462例，"
      "为1389名患者带去生的希望。绍兴市越城区建成全省首个县级人体器官捐献缅怀园，占地约15亩。"],
     "（省红十字会组织宣传部）"),
    ("博爱家园项目助力乡村振兴", "□通讯员 何佳慧",
     ["2021年以来，省红十字会在26个山区县实施“博爱家园”项目，累计投入项目资金4870万元，"
      "建成标准化博爱家园312个，惠及群众约38万人。",
      "丽水市景宁畲族自治县大均乡依托博爱家园开展防灾减灾演练16场，参与村民2100余人次；"
      "衢州市开化县把博爱家园与乡村卫生站结合，为留守老人提供健康监测服务9800人次。",
      "今年，全省新建博爱家园58个，每个项目点平均投入15万元，项目覆盖率达到行政村总数的23.4%。"],
     "（丽水市红十字会 衢州市红十字会）"),
]


def build(out: Path) -> Path:
    from reportlab import rl_config

    rl_config.invariant = 1  # no timestamps or random ids: the same bytes on every run
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import BaseDocTemplate, Frame, FrameBreak, PageTemplate, Paragraph, Spacer

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    font = "STSong-Light"
    body = ParagraphStyle("body", fontName=font, fontSize=10.5, leading=16, wordWrap="CJK",
                          firstLineIndent=21, alignment=4)  # justified, indented like print
    title = ParagraphStyle("title", fontName=font, fontSize=14, leading=20, wordWrap="CJK", spaceBefore=8, spaceAfter=4)
    small = ParagraphStyle("small", fontName=font, fontSize=9.5, leading=14, wordWrap="CJK")
    mast = ParagraphStyle("mast", fontName=font, fontSize=22, leading=28, alignment=1)
    issue = ParagraphStyle("issue", fontName=font, fontSize=9.5, leading=14, alignment=1)

    width, height = A4
    margin, gap = 18 * mm, 8 * mm
    col_w = (width - 2 * margin - gap) / 2
    head_h = 24 * mm
    body_h = height - 2 * margin - head_h
    first = [Frame(margin, height - margin - head_h, width - 2 * margin, head_h, id="head", showBoundary=0),
             Frame(margin, margin, col_w, body_h, id="left"),
             Frame(margin + col_w + gap, margin, col_w, body_h, id="right")]
    later = [Frame(margin, margin, col_w, height - 2 * margin, id="left2"),
             Frame(margin + col_w + gap, margin, col_w, height - 2 * margin, id="right2")]

    def footer(canvas, doc):
        canvas.setFont(font, 9)
        canvas.drawCentredString(width / 2, 10 * mm, f"- {doc.page} -")

    doc = BaseDocTemplate(str(out), pagesize=A4, title="浙江红十字工作通讯 2023年第4期", author="浙江省红十字会办公室",
                          creator="zhmine scripts/make_corpus_pdf.py")
    doc.addPageTemplates([PageTemplate(id="first", frames=first, onPage=footer),
                          PageTemplate(id="later", frames=later, onPage=footer)])
    from reportlab.platypus import NextPageTemplate

    story = [Paragraph(MASTHEAD, mast), Paragraph(ISSUE, issue), NextPageTemplate("later"), FrameBreak()]
    for heading, byline, paragraphs, source in ARTICLES:
        story += [Paragraph(heading, title), Paragraph(byline, small)]
        story += [Paragraph(p, body) for p in paragraphs]
        story += [Paragraph(source, small), Spacer(1, 6)]
    # enough text to run from the left column into the right one and onto a second page
    closing = _filler()
    for p in closing:  # a short line without final punctuation is a heading
        story.append(Paragraph(p, title if not p.endswith("。") else body))
    out.parent.mkdir(parents=True, exist_ok=True)
    doc.build(story)
    return out


def _filler() -> list[str]:
    """A closing article long enough to fill both columns and run onto page 2."""
    return [
        "全省红十字系统志愿服务工作综述",
        "一年来，全省红十字志愿者队伍不断壮大，注册志愿者达到12.6万人，组建志愿服务队1420支，"
        "全年开展志愿服务活动2.3万场次，服务时长累计186万小时。",
        "丽水市红十字会依托“红立方”志愿服务平台，组织志愿者深入山区乡村开展健康义诊、"
        "防灾宣传等活动560余场，服务群众3.2万人次。衢州市江山市组建水上救援队，队员86名，"
        "全年参与救援行动43次，救助遇险群众129人。",
        "舟山市红十字会在海岛渔村建成“博爱家园”27个，配备应急物资仓库19座，"
        "为渔民群众提供应急救护培训1.1万人次。台州市临海市把救护培训纳入新市民积分管理，"
        "全年培训外来务工人员8600人。",
        "金华市义乌市红十字会发挥侨胞和商会优势，累计募集境外捐赠款物折合人民币5280万元，"
        "资助建设乡村卫生室33所、红十字博爱小学9所。",
        "下一步，全省各级红十字会将围绕“三救三献”核心业务，力争到2025年全省持证救护员占总人口比例达到3.5%，"
        "每个乡镇（街道）至少建成1个规范化应急救护培训点。",
        "红十字青少年工作亮点纷呈",
        "全省现有红十字会员学校1864所，青少年红十字会员达到96.5万名。今年共开展青少年应急救护培训"
        "3.8万人次，举办夏令营、研学营等活动112场，参与学生6400余名。",
        "宁波市鄞州区在辖区48所中小学开设生命教育课程，全年授课1320课时；温州市乐清市组织"
        "“红十字小小急救员”技能比赛，吸引全市85所学校的1700多名学生参加。",
        "湖州市长兴县红十字会联合县教育局开展防溺水宣传进校园活动，发放宣传手册2.6万册，"
        "组织家长签订安全承诺书3.1万份，全县未发生一起学生溺水死亡事故。",
        "绍兴市诸暨市把红十字博爱助学与乡村教育结合，今年资助困难学生215名，"
        "发放助学金86万元，其中大学新生每人5000元、高中生每人3000元。",
        "嘉兴市海宁市红十字会举办青少年红十字骨干培训班4期，培训学校红十字辅导员260名，"
        "新建校园红十字工作室15个。",
        "杭州市余杭区在区内职业院校推广“急救+专业”课程模式，全年培训学生4200人，"
        "取证率达到91.2%。金华市东阳市组建青少年志愿服务队37支，开展社区服务活动580余次。",
    ]


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else OUT
    print(build(target))
