"""The customer's pages: the published return policy and "where is my return", in Chinese and English.

Plain server-rendered HTML that works on a phone, with no script: the policy is rendered from the
same rules the counter applies (never a hand-copied text), the status from the return itself.
"""

from __future__ import annotations

from html import escape
from typing import Any

from returndesk.domain.localtime import local_datetime, zone
from returndesk.domain.money import format_money
from returndesk.services.usecases.integration import CustomerReturnStatus, PublishedPolicy

#: The sentences of the pages, by language.
TEXT: dict[str, dict[str, Any]] = {
    "en": {
        "policy_title": "Return policy",
        "status_title": "Where is my return?",
        "window": "You may return items within {days} days of delivery (of purchase, in a shop).",
        "defect_window": "Defective, wrong or transit-damaged items: within {days} days, refunded in full.",
        "transit": "Orders without a recorded delivery count from the sale plus {days} days of transit.",
        "category_window": "{name}: within {days} days.",
        "not_returnable": "{name}: cannot be returned.",
        "categories": "Categories with their own rules",
        "conditions": "Items must come back with",
        "fees": "Refunds",
        "restocking": "Opened items returned for a reason that is not a fault may carry a restocking fee of {pct}.",
        "grades": "Used or damaged items are refunded in part: {grades}.",
        "grade": "grade {grade} {pct}",
        "shipping_yes": "Shipping you paid is refunded when the return is our fault or the supplier's.",
        "shipping_no": "Shipping is not refunded.",
        "reasons": "Reasons you can give",
        "vendor_fault": "refunded in full",
        "version": "Policy version {version}, in force since {date}.",
        "rma": "RMA number (on your return label)",
        "contact": "Phone number or e-mail of the order",
        "look_up": "Look up",
        "unknown": "No return matches this RMA number and phone or e-mail. Check both and try again.",
        "order": "Order",
        "since": "Since",
        "refund": "Refund",
        "send_by": "Please send the parcel by {date}.",
        "label_sent": "Your return label was sent to you through the web shop on {date}.",
        "question": "Customer service asks",
        "your_answer": "Your answer",
        "send_answer": "Send the answer",
        "answered": "Thank you: your answer was passed on to customer service.",
        "answer_short": "Please write your answer (at least 5 characters) and send it again.",
        "no_question": "There is no open question on this return; nothing needs an answer.",
        "other_language": "中文",
        "status": {
            "draft": "Your request is being prepared.",
            "requested": "We have your request and are reviewing it.",
            "waiting_for_customer": "Customer service needs more information from you: please answer below.",
            "authorized": "Approved: please send the parcel with the return label.",
            "rejected": "We could not accept this return. Customer service has written to you.",
            "cancelled": "This return was cancelled.",
            "expired": "The parcel did not arrive in time; this return has expired.",
            "received": "Your parcel has arrived and waits for inspection.",
            "inspected": "Your items have been inspected.",
            "awaiting_approval": "Your refund is being approved.",
            "approved": "Your refund is approved and will be paid shortly.",
            "refund_rejected": "We could not refund this return. Customer service has written to you.",
            "refunded": "Your refund has been paid.",
            "exchanged": "Your replacement is on its way.",
            "closed": "This return is complete.",
        },
    },
    "zh": {
        "policy_title": "退货政策",
        "status_title": "查询退货进度",
        "window": "商品签收后 {days} 天内可申请退货（门店购买自购买之日起计算）。",
        "defect_window": "商品有质量问题、发错货或运输损坏：{days} 天内可退，全额退款。",
        "transit": "无签收记录的订单，自购买之日起加 {days} 天运输期计算。",
        "category_window": "{name}：{days} 天内可退。",
        "not_returnable": "{name}：不支持退货。",
        "categories": "特殊品类规则",
        "conditions": "退回的商品须",
        "fees": "退款说明",
        "restocking": "非质量问题且已拆封的商品，可能收取 {pct} 的重新上架费。",
        "grades": "已使用或有损坏的商品按比例退款：{grades}。",
        "grade": "{grade} 级 {pct}",
        "shipping_yes": "因我方或供应商原因退货的，退还您支付的运费。",
        "shipping_no": "运费不予退还。",
        "reasons": "可选的退货原因",
        "vendor_fault": "全额退款",
        "version": "政策第 {version} 版，自 {date} 起生效。",
        "rma": "退货单号（见退货标签）",
        "contact": "订单的手机号或电子邮箱",
        "look_up": "查询",
        "unknown": "没有找到与该退货单号和手机号（或邮箱）相符的退货，请核对后重试。",
        "order": "订单",
        "since": "更新时间",
        "refund": "退款",
        "send_by": "请于 {date} 前寄出包裹。",
        "label_sent": "退货标签已于 {date} 通过网店发送给您。",
        "question": "客服的问题",
        "your_answer": "您的回复",
        "send_answer": "提交回复",
        "answered": "谢谢，您的回复已转交客服。",
        "answer_short": "请填写您的回复（至少 5 个字）后再提交。",
        "no_question": "该退货没有待回复的问题，无需回复。",
        "other_language": "English",
        "status": {
            "draft": "您的申请正在填写中。",
            "requested": "已收到您的退货申请，正在审核。",
            "waiting_for_customer": "客服需要您补充信息，请在下方回复。",
            "authorized": "申请已通过，请贴好退货标签寄回包裹。",
            "rejected": "很抱歉，本次退货未能受理，客服已与您联系。",
            "cancelled": "本次退货已取消。",
            "expired": "包裹未在期限内寄达，本次退货已过期。",
            "received": "包裹已收到，等待质检。",
            "inspected": "商品已完成质检。",
            "awaiting_approval": "退款正在审批中。",
            "approved": "退款已批准，即将支付。",
            "refund_rejected": "很抱歉，本次退货无法退款，客服已与您联系。",
            "refunded": "退款已支付。",
            "exchanged": "换货商品已寄出。",
            "closed": "本次退货已完成。",
        },
    },
}

METHOD_NAMES: dict[str, dict[str, str]] = {
    "en": {"original_payment": "to the original payment", "store_credit": "as store credit", "cash": "in cash",
           "bank_transfer": "by bank transfer"},
    "zh": {"original_payment": "原路退回", "store_credit": "门店储值", "cash": "现金", "bank_transfer": "银行转账"},
}


def language(query_lang: str | None, accept_language: str | None) -> str:
    """``zh`` or ``en``: the ``lang`` asked for, else the browser's first preference."""
    if query_lang in TEXT:
        return query_lang
    for part in (accept_language or "").split(","):
        code = part.split(";")[0].strip().lower()
        if code.startswith("zh"):
            return "zh"
        if code.startswith("en"):
            return "en"
    return "zh"


def _page(lang: str, title: str, body: str, path: str) -> str:
    other = "en" if lang == "zh" else "zh"
    return f"""<!doctype html>
<html lang="{'zh-CN' if lang == 'zh' else 'en'}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title>
<style>
body{{font-family:system-ui,"Noto Sans CJK SC","WenQuanYi Zen Hei",sans-serif;margin:0;
background:#f5f6f8;color:#1d2330}}
main{{max-width:40rem;margin:0 auto;padding:1rem 1.25rem 3rem;background:#fff;min-height:100vh}}
h1{{font-size:1.5rem;margin:.5rem 0 1rem}} h2{{font-size:1.1rem;margin:1.5rem 0 .5rem}}
li{{margin:.3rem 0}} .lang{{float:right;font-size:.9rem}} .muted{{color:#5b6473;font-size:.9rem}}
label{{display:block;margin:.8rem 0 .3rem}} input{{width:100%;box-sizing:border-box;font-size:1.1rem;padding:.6rem;
border:1px solid #b8bfcc;border-radius:.4rem}} button{{margin-top:1rem;font-size:1.1rem;padding:.6rem 1.4rem;
border:0;border-radius:.4rem;background:#1f5fbf;color:#fff}} .status{{font-size:1.2rem;padding:.8rem;
background:#eef4ff;border-radius:.4rem}} .error{{padding:.8rem;background:#fff1f0;border-radius:.4rem;color:#8a1f11}}
</style></head><body><main>
<a class="lang" href="{path}?lang={other}">{TEXT[lang]['other_language']}</a>
<h1>{escape(title)}</h1>
{body}
</main></body></html>"""


def _pct(fraction: object) -> str:
    from decimal import Decimal

    value = (Decimal(str(fraction)) * 100).normalize()
    return f"{value:f}%"


def policy_page(published: PublishedPolicy, lang: str) -> str:
    t = TEXT[lang]
    rules = published.policy.rules
    parts = [f"<ul><li>{escape(t['window'].format(days=rules.window_days))}</li>",
             f"<li>{escape(t['defect_window'].format(days=rules.defect_window_days))}</li>"]
    transit = getattr(rules, "transit_allowance_days", None)
    if transit:
        parts.append(f"<li>{escape(t['transit'].format(days=transit))}</li>")
    parts.append("</ul>")
    if published.categories:
        parts.append(f"<h2>{escape(t['categories'])}</h2><ul>")
        for c in published.categories:
            name = c.name_zh if lang == "zh" else c.name_en
            line = (t["not_returnable"].format(name=name) if c.days is None
                    else t["category_window"].format(name=name, days=c.days))
            parts.append(f"<li>{escape(line)}</li>")
        parts.append("</ul>")
    if published.conditions:
        parts.append(f"<h2>{escape(t['conditions'])}</h2><ul>")
        parts += [f"<li>{escape(c.name_zh if lang == 'zh' else c.name_en)}</li>" for c in published.conditions]
        parts.append("</ul>")
    grades = "，".join if lang == "zh" else ", ".join
    grade_text = grades(t["grade"].format(grade=getattr(g, "value", g), pct=_pct(f))
                        for g, f in sorted(rules.grade_factors.items(), key=lambda kv: str(kv[0])))
    parts.append(f"<h2>{escape(t['fees'])}</h2><ul>")
    parts.append(f"<li>{escape(t['restocking'].format(pct=_pct(rules.restocking_fee_pct)))}</li>")
    parts.append(f"<li>{escape(t['grades'].format(grades=grade_text))}</li>")
    parts.append(f"<li>{escape(t['shipping_yes'] if rules.refund_shipping_on_vendor_fault else t['shipping_no'])}</li>")
    parts.append("</ul>")
    if published.reasons:
        parts.append(f"<h2>{escape(t['reasons'])}</h2><ul>")
        for r in published.reasons:
            suffix = f" ({t['vendor_fault']})" if r.vendor_fault else ""
            parts.append(f"<li>{escape((r.name_zh if lang == 'zh' else r.name_en) + suffix)}</li>")
        parts.append("</ul>")
    text = rules.policy_text_zh if lang == "zh" else rules.policy_text_en
    parts.append(f"<p>{escape(text)}</p>")
    effective = published.policy.effective_from.date().isoformat()
    parts.append(
        f'<p class="muted">{escape(t["version"].format(version=published.policy.version, date=effective))}</p>'
    )
    return _page(lang, t["policy_title"], "\n".join(parts), "/policy")


def status_page(lang: str, *, status: CustomerReturnStatus | None = None, error: str | None = None,
                rma: str = "", contact: str = "", answered: bool = False) -> str:
    t = TEXT[lang]
    parts = []
    if answered:
        parts.append(f'<p class="status">{escape(t["answered"])}</p>')
    if status is not None:
        words = t["status"].get(status.status, status.status)
        parts.append(f'<p class="status">{escape(words)}</p><ul>')
        parts.append(f"<li>RMA {escape(status.rma_no)} · {escape(t['order'])} {escape(status.order_no)}</li>")
        since = local_datetime(status.status_changed_at, zone(status.time_zone))
        parts.append(f"<li>{escape(t['since'])}: {escape(since.strftime('%Y-%m-%d %H:%M'))}</li>")
        if status.status == "authorized" and status.receive_by:
            parts.append(f"<li>{escape(t['send_by'].format(date=status.receive_by))}</li>")
        if status.status == "authorized" and status.label_sent_at:
            parts.append(f"<li>{escape(t['label_sent'].format(date=status.label_sent_at.strftime('%Y-%m-%d')))}</li>")
        if status.refund_minor is not None:
            method = METHOD_NAMES[lang].get(status.refund_method or "", status.refund_method or "")
            parts.append(f"<li>{escape(t['refund'])}: {escape(status.currency)} "
                         f"{escape(format_money(status.refund_minor))} {escape(method)}</li>")
        parts.append("</ul>")
        if status.question:
            parts.append(f"""<form method="post" action="/status/answer?lang={lang}">
<p><strong>{escape(t['question'])}:</strong> {escape(status.question)}</p>
<input type="hidden" name="rma" value="{escape(status.rma_no)}">
<input type="hidden" name="contact" value="{escape(contact)}">
<label for="answer">{escape(t['your_answer'])}</label><textarea id="answer" name="answer" required minlength="5"
maxlength="2000" rows="4" style="width:100%;box-sizing:border-box;font-size:1.1rem"></textarea>
<button type="submit">{escape(t['send_answer'])}</button></form>""")
    if error:
        parts.append(f'<p class="error">{escape(error)}</p>')
    parts.append(f"""<form method="post" action="/status?lang={lang}">
<label for="rma">{escape(t['rma'])}</label><input id="rma" name="rma" value="{escape(rma)}" required
autocomplete="off" inputmode="text" maxlength="40">
<label for="contact">{escape(t['contact'])}</label><input id="contact" name="contact" required maxlength="160"
autocomplete="tel">
<button type="submit">{escape(t['look_up'])}</button></form>""")
    return _page(lang, t["status_title"], "\n".join(parts), "/status")
