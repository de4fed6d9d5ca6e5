"""The words of the order history: notes, reasons, comments, names and meeting minutes."""

from __future__ import annotations

ORDER_NOTES = (
    "",
    "",
    "请安排社工上门",
    "老人行动不便，需上门服务",
    "居民集中办理，请提前联系",
    "请携带相关材料",
    "周末优先",
    "请与居委社工对接",
    "服务对象为独居老人",
    "需配合错时服务安排",
    "请提前一天电话确认",
)
DECLINE_REASONS = (
    "本月服务名额已满",
    "不在本部门服务范围，建议转其他部门",
    "所需材料不齐，请补齐后重新下单",
    "服务时段无法安排，请改期",
    "服务对象不符合政策条件",
)
CANCEL_REASONS = (
    "居民已自行解决",
    "服务对象已搬离本社区",
    "时间冲突，另行下单",
    "需求已由其他项目满足",
    "",
)
REJECTION_REASONS = (
    "服务未按约定内容完成",
    "居民反映服务人员未到场",
    "材料缺失，需补充交付",
    "服务时长不足",
)
SCHEDULE_NOTES = ("已电话联系居民确认时间", "已安排专人对接", "按居民要求错时上门", "")
DELIVER_NOTES = ("服务已完成，请确认", "已上门服务并留存记录", "已交付，附服务记录", "")
CONFIRM_NOTES = ("居民确认已收到服务", "服务完成，确认验收", "")
COMMENTS_BY_RATING = {
    1: ("服务拖延，居民很不满意", "多次催办仍未解决", "服务态度差，需要整改"),
    2: ("响应慢，效果一般", "服务不够细致，居民有意见", "未按约定时间上门"),
    3: ("基本完成，仍有改进空间", "服务一般", "效果尚可，沟通需加强"),
    4: ("服务及时，居民满意", "办事认真，效果良好", "整体满意"),
    5: ("服务及时周到，居民非常满意", "即接即办，值得表扬", "专业细致，居民点赞"),
}
# Satisfaction (0–100) a rating usually comes with.
SATISFACTION_BY_RATING = {1: 28, 2: 48, 3: 66, 4: 81, 5: 93}

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN_NAMES = (
    "建华",
    "秀英",
    "志强",
    "丽娟",
    "国平",
    "美玲",
    "伟",
    "敏",
    "静",
    "勇",
    "海燕",
    "晓东",
    "桂芳",
    "建国",
    "玉兰",
    "明",
    "红梅",
    "文军",
    "丹",
    "俊杰",
)
# Residents the station orders for (代办): how the staff call them.
RESIDENT_TITLES = ("阿姨", "大爷", "奶奶", "爷爷", "老师", "女士", "先生")

HEARING_MINUTES = {
    True: (
        "居民代表听取项目介绍后举手表决，同意引入{subject}。",
        "经充分讨论，多数居民支持订购{subject}，并对服务时段提出建议。",
        "听证会通过{subject}，居民希望优先服务老年人和困难家庭。",
    ),
    False: (
        "居民认为{subject}与本社区需求不符，暂不订购。",
        "多数居民对{subject}的服务方式有顾虑，决定暂缓。",
        "听证会未通过{subject}，建议服务站另寻更合适的项目。",
    ),
}
COORDINATION_MINUTES = (
    "服务站、居民代表与服务方协商{subject}的实施时间和场地安排。",
    "就{subject}实施中的居民意见进行协调，明确了后续分工。",
    "居民代表参与{subject}进度协调，提出错时服务的要求。",
)
EVALUATION_MINUTES = (
    "居民代表对{subject}进行评议，总体评价{verdict}。",
    "评议会听取服务方汇报，居民对{subject}的评价为{verdict}。",
)
VERDICTS = {1: "不满意", 2: "较不满意", 3: "基本满意", 4: "满意", 5: "非常满意"}

# A provider's note to the station when it offers a project or resource for a demand.
PROPOSAL_NOTES = (
    "",
    "可根据社区时间安排上门实施，欢迎对接。",
    "本单位有同类服务经验，可优先安排。",
    "场地和人员均可协调，请联系我们商定时间。",
    "可先开展一次试点活动，再视居民反馈扩大。",
    "建议与居委社工共同组织，效果更好。",
    "本月仍有名额，可尽快安排。",
)
# How a station's staff say a demand was met when no order resolved it (解决说明).
RESOLUTION_REASONS = (
    "已对接提供方资源，居民需求已落实，回访满意。",
    "通过资源清单借用场地，活动已顺利开展。",
    "协调共建单位志愿者到位，需求已解决。",
    "经街镇统筹，相关部门已现场处置完毕。",
    "居民需求已通过线上渠道办结，电话回访确认。",
    "已由社区自治团队承接，服务正常开展。",
)
# Why a station withdrew a demand: it was met otherwise, or no longer needed.
CLOSING_REASONS = (
    "居民已自行解决，需求撤回。",
    "需求与已有项目重复，合并办理。",
    "经核实暂不具备实施条件，转为长期关注。",
    "服务对象已搬离本社区，需求撤销。",
    "居民意见不统一，经议事会讨论暂缓。",
)
# Why it withdrew a demand after its orders came to nothing.
CLOSING_REASONS_AFTER_ORDERS = (
    "服务方无法承接，居民已另行解决，需求关闭。",
    "订单未能实施，经与居民沟通后撤回需求。",
    "多次对接未果，转街道层面统筹，本站需求关闭。",
)
