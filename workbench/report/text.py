"""The report's words in Chinese (first) and English.

Every label and sentence template lives here, keyed by an id, so the two
languages cannot drift apart section by section and a reviewer can read
all of the report's wording in one place. Templates use `str.format`
fields filled with already formatted numbers.
"""

from __future__ import annotations

from workbench.contract import LABELS_ZH
from workbench.report.params import ReportParams

STRINGS: dict[str, tuple[str, str]] = {
    "title": ("带货短视频激励计划 · 周报", "Short-video commerce incentive · weekly report"),
    "title_week": ("第{week}周（{start} 至 {end}）", "Week {week} ({start} to {end})"),
    "title_window": ("{start} 至 {end}", "{start} to {end}"),
    "subtitle": ("数据快照 {snapshot}，截至 {cutoff}", "Snapshot {snapshot}, data as of {cutoff}"),
    "section_headline": ("核心指标", "Headline figures"),
    "section_narrative": ("本周要点", "What moved"),
    "section_charts": ("图表", "Charts"),
    "section_note": ("数据说明", "Data note"),
    "section_methods": ("修订、预估与因果效果", "Restatement, nowcast and lift"),
    "chart_restatement": ("第{week}周数字的修订", "How week {week}'s figure was restated"),
    "chart_nowcast": ("已结算与预计最终结算（估算）", "Settled so far and nowcast (estimate)"),
    "chart_lift": ("报名效果：逐周对比（活动前应接近 0）", "Enrolment effect by week (flat at 0 before the campaign)"),
    "say_restatement": ("第{week}周短视频结算GMV：", "Week {week} short-video settled GMV: "),
    "method_unavailable": ("{method}：暂无法计算（{reason}）", "{method}: not available ({reason})"),
    "fig_video_gmv": ("短视频结算GMV", "Short-video settled GMV"),
    "fig_video_gmv_detail": ("支付 {paid} · 直播结算 {live}", "Paid {paid} · live settled {live}"),
    "fig_share": ("短视频占(短视频+直播)", "Short-video share of video + live"),
    "fig_share_detail": ("较上周 {wow}，较基线 {base}", "{wow} vs last week, {base} vs baseline"),
    "fig_newcomers": ("出单新手 / 已报名新手", "Newcomers selling / enrolled"),
    "fig_newcomers_detail": ("出单率 {rate}", "Uptake {rate}"),
    "fig_card": ("成长卡积分（累计）", "Growth-card points (to date)"),
    "fig_card_detail": ("{accounts} 个账号获得", "earned by {accounts} accounts"),
    "no_data": ("本期无数据", "No data for this window"),
    "up": ("上升{pp}", "up {pp}"),
    "down": ("下降{pp}", "down {pp}"),
    "flat": ("持平", "flat"),
    "say_video_gmv": (
        "短视频结算GMV为{video}，占短视频与直播合计的{share}，较上周{wow}，较基线{base}。",
        "Short-video settled GMV was {video}, {share} of video + live: {wow} on last week and {base} on the baseline.",
    ),
    "say_video_unsettled": (
        "本期短视频订单尚未结算（结算GMV {video}），短视频支付GMV为{paid}，结算后才计入占比与成长卡。",
        "This window's short-video orders have not settled yet (settled GMV {video}); paid GMV was {paid}, which counts towards the share and growth card once settled.",
    ),
    "say_video_gmv_no_prior": (
        "短视频结算GMV为{video}，占短视频与直播合计的{share}。",
        "Short-video settled GMV was {video}, {share} of video + live.",
    ),
    "say_newcomers": (
        "截至{end}，{enrolled}个已报名新手中有{selling}个已出单（{rate}），本周新增{new_selling}个。",
        "By {end}, {selling} of {enrolled} enrolled newcomers were selling ({rate}), {new_selling} more than a week earlier.",
    ),
    "say_card": (
        "成长卡积分累计{points}，由{accounts}个账号获得，其中新手{newcomers}个。",
        "Growth-card points reached {points}, earned by {accounts} accounts, {newcomers} of them newcomers.",
    ),
    "say_traffic": (
        "已报名账号的带货视频在推荐频道获得曝光{impressions}，其中活动加推占{boosted_share}。",
        "Enrolled accounts' commerce videos got {impressions} recommend-feed impressions, {boosted_share} of them from the campaign boost.",
    ),
    "say_category": (
        "短视频结算GMV中{focus}占{share}（基线{baseline_share}），直播间为{live_share}。",
        "{focus}: {share} of short-video settled GMV (baseline {baseline_share}), {live_share} in live rooms.",
    ),
    "note_cutoff": ("数据截至 {cutoff}（北京时间），所有日期按北京时间计算。", "Data as of {cutoff} (Asia/Shanghai); every day is an Asia/Shanghai day."),
    "note_unsettled": (
        "本期支付GMV {paid} 中尚有 {unsettled}（{share}）未结算，已结算数字还会增长。",
        "Of the window's paid GMV of {paid}, {unsettled} ({share}) has not settled yet, so settled figures will still grow.",
    ),
    "note_rule": (
        "成长卡积分 = 奖励基数 × {rate}，每账号上限{cap}积分。新手的奖励基数为活动期短视频结算GMV；"
        "老账号按行业报道的口径：活动期短视频结算GMV 减去 基线日均（{baseline_start} 至 {baseline_end}，{baseline_days}天）× {campaign_days}天，不低于0。",
        "Growth-card points = reward base × {rate}, capped at {cap} points an account. A newcomer's reward base is its campaign "
        "settled short-video GMV; for existing accounts the report assumes the rule reported by the trade press: campaign settled "
        "short-video GMV minus {campaign_days} days of the baseline daily average ({baseline_start} to {baseline_end}, {baseline_days} days), floored at 0.",
    ),
}


def t(key: str, lang: str, **fields: object) -> str:
    """The string `key` in `lang`, its `{fields}` filled in."""
    zh, en = STRINGS[key]
    return (zh if lang == "zh" else en).format(**fields)


def label(value: str, lang: str) -> str:
    """A channel, category or tab code as a display label (Chinese first)."""
    if lang == "zh":
        return LABELS_ZH.get(value, value)
    return value.replace("_", " ")


def period(params: ReportParams) -> str:
    """`第3周（2025-12-06 至 2025-12-12）` or the plain window."""
    if params.week:
        return t("title_week", params.lang, week=params.week, start=params.start, end=params.end)
    return t("title_window", params.lang, start=params.start, end=params.end)


def report_title(params: ReportParams) -> str:
    """The page title: programme name and period."""
    return f"{t('title', params.lang)} · {period(params)}"
