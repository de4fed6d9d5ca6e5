"""What the catalog and the three lists say: service entries, resource and project
templates, community needs, and the sentences their descriptions are built from.

Category codes refer to `vocabulary.CATEGORIES`; department keys to the short names
of `vocabulary.DEPARTMENTS`.
"""

from __future__ import annotations

from dataclasses import dataclass

from models import Audience, Availability, ProviderKind, ResourceKind, StationKind, Tier, Urgency

BOTTOM_LINE, BASIC, QUALITY = Tier.BOTTOM_LINE, Tier.BASIC, Tier.QUALITY


def audiences(names: str) -> tuple[Audience, ...]:
    return tuple(Audience[name] for name in names.split())


@dataclass(frozen=True)
class ServiceEntry:
    name: str
    category: str
    tier: Tier
    audiences: tuple[Audience, ...]


def _entry(name: str, category: str, tier: Tier, audience_names: str) -> ServiceEntry:
    return ServiceEntry(name, category, tier, audiences(audience_names))


# The departmental catalog (the "三生" service projects), by department: 37 bottom-line,
# 65 basic and 53 quality entries, i.e. the published 35/62/50 plus the 8 that demo.py withdraws.
SERVICES_BY_DEPARTMENT = {
    "区民政局": (
        _entry("最低生活保障申请受理", "care.relief", BOTTOM_LINE, "LOW_INCOME"),
        _entry("特困人员救助供养申请", "care.relief", BOTTOM_LINE, "LOW_INCOME ELDERLY DISABLED"),
        _entry("临时救助申请受理", "care.relief", BOTTOM_LINE, "LOW_INCOME FAMILIES"),
        _entry("困难群众帮办代办服务", "care.relief", BOTTOM_LINE, "LOW_INCOME ELDERLY DISABLED"),
        _entry("高龄老人居家养老服务", "care.home", BOTTOM_LINE, "ELDERLY"),
        _entry("养老服务补贴评估申请", "care.home", BOTTOM_LINE, "ELDERLY"),
        _entry("老年综合津贴申领", "care.home", BASIC, "ELDERLY"),
        _entry("社区综合为老服务中心日托服务", "care.home", BASIC, "ELDERLY"),
        _entry("独居老人关爱探访", "care.home", BOTTOM_LINE, "ELDERLY"),
        _entry("长者助餐服务", "care.meals", BOTTOM_LINE, "ELDERLY"),
        _entry("社区长者食堂订餐", "care.meals", QUALITY, "ELDERLY"),
        _entry("婚姻登记预约咨询", "community.convenience", BASIC, "EVERYONE"),
        _entry("老年人智能手机使用培训", "education.lifelong", QUALITY, "ELDERLY"),
        _entry("在职党员社区报到服务", "community.volunteering", QUALITY, "PARTY_MEMBERS"),
    ),
    "区人社局": (
        _entry("就业岗位推荐", "employment.jobs", BASIC, "JOB_SEEKERS"),
        _entry("失业登记办理", "employment.jobs", BOTTOM_LINE, "JOB_SEEKERS"),
        _entry("就业困难人员认定", "employment.jobs", BOTTOM_LINE, "JOB_SEEKERS LOW_INCOME"),
        _entry("零工驿站灵活就业对接", "employment.jobs", BASIC, "JOB_SEEKERS NEWCOMERS"),
        _entry("零就业家庭就业援助", "employment.jobs", BOTTOM_LINE, "LOW_INCOME JOB_SEEKERS"),
        _entry("青年职业见习推荐", "employment.jobs", QUALITY, "YOUTH JOB_SEEKERS"),
        _entry("职业技能培训补贴申请", "employment.training", BASIC, "JOB_SEEKERS YOUTH"),
        _entry("创业担保贷款政策咨询", "employment.startup", BASIC, "JOB_SEEKERS YOUTH"),
        _entry("劳动争议调解咨询", "employment.rights", BASIC, "EVERYONE"),
        _entry("退休人员社会化管理服务", "care.home", BASIC, "ELDERLY"),
    ),
    "区卫生健康委": (
        _entry("家庭医生签约", "health.family_doctor", BASIC, "EVERYONE"),
        _entry("慢性病随访管理", "health.family_doctor", BASIC, "ELDERLY"),
        _entry("家庭病床建床申请", "health.family_doctor", BOTTOM_LINE, "ELDERLY DISABLED"),
        _entry("老年人健康体检预约", "health.prevention", BASIC, "ELDERLY"),
        _entry("预防接种咨询", "health.prevention", BASIC, "CHILDREN FAMILIES"),
        _entry("中医养生保健指导", "health.prevention", QUALITY, "EVERYONE"),
        _entry("心理健康咨询", "health.mental", QUALITY, "EVERYONE"),
        _entry("孕产妇健康管理", "health.women_children", BASIC, "WOMEN"),
        _entry("婴幼儿托育服务咨询", "education.childcare", BASIC, "FAMILIES CHILDREN"),
        _entry("居家护理上门服务", "care.home", BOTTOM_LINE, "ELDERLY DISABLED"),
        _entry("计划生育特殊家庭扶助", "care.relief", BOTTOM_LINE, "FAMILIES ELDERLY"),
    ),
    "区教育局": (
        _entry("适龄儿童入学政策咨询", "education.childcare", BASIC, "FAMILIES CHILDREN"),
        _entry("小学生暑期爱心托管", "education.childcare", QUALITY, "CHILDREN"),
        _entry("家庭教育指导", "education.youth", QUALITY, "FAMILIES"),
        _entry("学生近视防控指导", "health.prevention", BASIC, "CHILDREN"),
        _entry("困难家庭学生资助申请", "care.relief", BOTTOM_LINE, "LOW_INCOME CHILDREN"),
        _entry("社区学校课程报名", "education.lifelong", QUALITY, "EVERYONE"),
    ),
    "区文体旅游局": (
        _entry("社区文化活动配送", "education.culture", QUALITY, "EVERYONE"),
        _entry("全民健身指导", "education.culture", QUALITY, "EVERYONE"),
        _entry("公益电影放映", "education.culture", QUALITY, "EVERYONE"),
        _entry("非遗项目体验课", "education.culture", QUALITY, "EVERYONE CHILDREN"),
        _entry("文艺团队辅导培训", "education.culture", QUALITY, "ELDERLY"),
        _entry("体育场馆公益开放预约", "education.culture", QUALITY, "EVERYONE"),
        _entry("社区健身苑点报修", "education.culture", BASIC, "EVERYONE"),
        _entry("社区图书流转借阅", "education.lifelong", QUALITY, "EVERYONE"),
    ),
    "区司法局": (
        _entry("法律援助咨询", "safety.legal", BOTTOM_LINE, "LOW_INCOME ELDERLY DISABLED"),
        _entry("社区律师值班接待", "safety.legal", BASIC, "EVERYONE"),
        _entry("法治宣传进社区", "safety.legal", QUALITY, "EVERYONE"),
        _entry("人民调解受理", "safety.mediation", BASIC, "EVERYONE"),
        _entry("家事纠纷调解", "safety.mediation", BASIC, "FAMILIES"),
        _entry("安置帮教政策咨询", "safety.security", BASIC, "EVERYONE"),
    ),
    "区残联": (
        _entry("残疾人证办理咨询", "care.disability", BOTTOM_LINE, "DISABLED"),
        _entry("残疾人辅助器具适配", "care.disability", BOTTOM_LINE, "DISABLED"),
        _entry("残疾人居家照护", "care.disability", BOTTOM_LINE, "DISABLED"),
        _entry("残疾儿童康复训练补贴申请", "care.disability", BOTTOM_LINE, "DISABLED CHILDREN"),
        _entry("残疾人家庭无障碍改造申请", "care.disability", BOTTOM_LINE, "DISABLED"),
        _entry("阳光之家日间照料", "care.disability", BOTTOM_LINE, "DISABLED"),
        _entry("残疾人两项补贴申请", "care.disability", BOTTOM_LINE, "DISABLED LOW_INCOME"),
        _entry("残疾人就业援助", "employment.jobs", BOTTOM_LINE, "DISABLED JOB_SEEKERS"),
    ),
    "区退役军人事务局": (
        _entry("退役军人优待证申领", "care.relief", BASIC, "VETERANS"),
        _entry("优抚对象抚恤补助申请", "care.relief", BOTTOM_LINE, "VETERANS"),
        _entry("退役军人困难帮扶", "care.relief", BOTTOM_LINE, "VETERANS LOW_INCOME"),
        _entry("退役军人就业创业指导", "employment.startup", BASIC, "VETERANS JOB_SEEKERS"),
        _entry("退役军人服务站政策咨询", "community.convenience", BASIC, "VETERANS"),
    ),
    "区医保局": (
        _entry("城乡居民医保参保登记", "health", BASIC, "EVERYONE"),
        _entry("医疗费用报销咨询", "health", BASIC, "EVERYONE"),
        _entry("医保电子凭证激活指导", "health", BASIC, "ELDERLY"),
        _entry("长期护理保险评估申请", "care.home", BOTTOM_LINE, "ELDERLY"),
        _entry("医疗救助申请", "care.relief", BOTTOM_LINE, "LOW_INCOME"),
    ),
    "区住建委": (
        _entry("老旧小区加装电梯咨询", "community.housing", QUALITY, "ELDERLY FAMILIES"),
        _entry("公共租赁住房申请受理", "community.housing", BOTTOM_LINE, "LOW_INCOME NEWCOMERS"),
        _entry("廉租住房资格审核", "community.housing", BOTTOM_LINE, "LOW_INCOME"),
        _entry("物业服务投诉受理", "community.housing", BASIC, "EVERYONE"),
        _entry("住宅小区停车协调指导", "community.housing", BASIC, "EVERYONE"),
        _entry("困难家庭住房修缮", "community.housing", BOTTOM_LINE, "LOW_INCOME"),
        _entry("美丽家园改造意见征询", "community.environment", QUALITY, "EVERYONE"),
    ),
    "区生态环境局": (
        _entry("生活垃圾分类指导", "community.environment", BASIC, "EVERYONE"),
        _entry("噪声扰民投诉受理", "community.environment", BASIC, "EVERYONE"),
        _entry("环境保护科普宣传", "community.environment", QUALITY, "EVERYONE CHILDREN"),
        _entry("旧衣物回收点查询", "community.environment", QUALITY, "EVERYONE"),
    ),
    "区市场监管局": (
        _entry("消费投诉调解", "safety.mediation", BASIC, "EVERYONE"),
        _entry("食品安全宣传", "safety.security", BASIC, "EVERYONE"),
        _entry("老年人保健品防骗提醒", "safety.security", BASIC, "ELDERLY"),
        _entry("电梯安全隐患报修", "community.housing", BASIC, "EVERYONE"),
    ),
    "区应急局": (
        _entry("应急避难场所指引", "safety.emergency", BASIC, "EVERYONE"),
        _entry("家庭应急物资储备指导", "safety.emergency", QUALITY, "FAMILIES"),
        _entry("防汛防台安全提示", "safety.emergency", BASIC, "EVERYONE"),
        _entry("应急救护技能培训", "safety.emergency", QUALITY, "EVERYONE"),
    ),
    "区城管执法局": (
        _entry("违法搭建投诉受理", "community.environment", BASIC, "EVERYONE"),
        _entry("群租整治线索受理", "safety.security", BASIC, "EVERYONE"),
        _entry("城管执法法规咨询", "safety.legal", BASIC, "EVERYONE"),
    ),
    "区农业农村委": (
        _entry("农村宅基地建房咨询", "community.housing", BASIC, "FAMILIES"),
        _entry("农村人居环境整治指导", "community.environment", BASIC, "FAMILIES"),
        _entry("美丽庭院创建指导", "community.environment", QUALITY, "FAMILIES"),
        _entry("农业技术指导", "employment.training", BASIC, "JOB_SEEKERS"),
        _entry("农民专业合作社登记辅导", "employment.startup", BASIC, "EVERYONE"),
        _entry("农村低收入户帮扶", "care.relief", BOTTOM_LINE, "LOW_INCOME"),
    ),
    "区科经委": (
        _entry("中小企业政策咨询", "employment.startup", QUALITY, "EVERYONE"),
        _entry("众创空间入驻咨询", "employment.startup", QUALITY, "YOUTH"),
        _entry("智慧社区应用推广", "education.lifelong", QUALITY, "EVERYONE"),
        _entry("数字生活体验", "education.lifelong", QUALITY, "ELDERLY"),
    ),
    "区商务委": (
        _entry("社区便民商业网点查询", "community.convenience", QUALITY, "EVERYONE"),
        _entry("早餐工程网点推荐", "community.convenience", BASIC, "EVERYONE"),
        _entry("家政服务预约对接", "community.convenience", QUALITY, "FAMILIES ELDERLY"),
        _entry("以旧换新消费补贴咨询", "community.convenience", QUALITY, "EVERYONE"),
    ),
    "区规划资源局": (
        _entry("社区规划师驻点咨询", "community.environment", QUALITY, "EVERYONE"),
        _entry("15分钟社区生活圈规划意见征询", "community.environment", QUALITY, "EVERYONE"),
        _entry("不动产登记预约", "community.housing", BASIC, "EVERYONE"),
    ),
    "区总工会": (
        _entry("职工法律援助", "employment.rights", BASIC, "EVERYONE"),
        _entry("户外职工爱心接力站服务", "employment.rights", QUALITY, "EVERYONE"),
        _entry("职工疗休养咨询", "employment.rights", QUALITY, "EVERYONE"),
        _entry("新就业形态劳动者关爱", "employment.rights", BASIC, "NEWCOMERS JOB_SEEKERS"),
        _entry("职工技能提升培训", "employment.training", QUALITY, "EVERYONE"),
        _entry("困难职工帮扶", "care.relief", BOTTOM_LINE, "LOW_INCOME"),
        _entry("职工子女爱心暑托班报名", "education.childcare", QUALITY, "CHILDREN"),
    ),
    "团区委": (
        _entry("青少年志愿服务招募", "community.volunteering", QUALITY, "YOUTH"),
        _entry("青少年心理关爱热线", "health.mental", BASIC, "YOUTH CHILDREN"),
        _entry("青少年权益保护咨询", "safety.legal", BASIC, "CHILDREN YOUTH"),
        _entry("青年创业沙龙", "employment.startup", QUALITY, "YOUTH"),
        _entry("青少年暑期社会实践", "education.youth", QUALITY, "YOUTH"),
    ),
    "区妇联": (
        _entry("妇女权益维护咨询", "safety.legal", BASIC, "WOMEN"),
        _entry("婚姻家庭纠纷调解", "safety.mediation", BASIC, "FAMILIES WOMEN"),
        _entry("妇女儿童之家活动", "education.youth", QUALITY, "WOMEN CHILDREN"),
        _entry("巾帼创业就业指导", "employment.startup", QUALITY, "WOMEN JOB_SEEKERS"),
        _entry("困境儿童关爱", "care.relief", BOTTOM_LINE, "CHILDREN"),
        _entry("单亲困难母亲帮扶", "care.relief", BOTTOM_LINE, "WOMEN LOW_INCOME"),
        _entry("两癌筛查预约", "health.women_children", BASIC, "WOMEN"),
        _entry("家庭文明建设指导", "community.volunteering", QUALITY, "FAMILIES"),
    ),
    "区红十字会": (
        _entry("红十字救护员培训", "safety.emergency", QUALITY, "EVERYONE"),
        _entry("AED使用培训", "safety.emergency", QUALITY, "EVERYONE"),
        _entry("遗体和器官捐献登记咨询", "health", BASIC, "EVERYONE"),
        _entry("造血干细胞捐献登记", "health", QUALITY, "EVERYONE"),
        _entry("红十字人道救助申请", "care.relief", BOTTOM_LINE, "LOW_INCOME"),
        _entry("博爱家园活动", "community.volunteering", QUALITY, "EVERYONE"),
    ),
    "区公安分局": (
        _entry("户籍业务咨询", "community.convenience", BASIC, "EVERYONE"),
        _entry("居住证办理", "community.convenience", BASIC, "NEWCOMERS"),
        _entry("出入境证件办理咨询", "community.convenience", QUALITY, "EVERYONE"),
        _entry("反电信诈骗宣传", "safety.security", BASIC, "ELDERLY EVERYONE"),
        _entry("社区民警接待", "safety.security", BASIC, "EVERYONE"),
        _entry("邻里守望巡逻指导", "safety.security", QUALITY, "EVERYONE"),
    ),
    "区消防救援支队": (
        _entry("消防安全检查指导", "safety.emergency", BASIC, "EVERYONE"),
        _entry("家庭消防隐患排查", "safety.emergency", BASIC, "FAMILIES ELDERLY"),
        _entry("电动自行车充电安全指导", "safety.emergency", BASIC, "EVERYONE"),
        _entry("消防安全知识讲座", "safety.emergency", QUALITY, "EVERYONE"),
        _entry("独居老人烟感报警器安装", "safety.emergency", BOTTOM_LINE, "ELDERLY"),
    ),
    "区税务局": (
        _entry("个人所得税汇算清缴辅导", "community.convenience", BASIC, "EVERYONE"),
        _entry("城乡居民社保费缴纳咨询", "community.convenience", BASIC, "EVERYONE"),
        _entry("小微企业税费优惠咨询", "employment.startup", BASIC, "EVERYONE"),
    ),
    "区科协": (
        _entry("科普讲座进社区", "education.lifelong", QUALITY, "EVERYONE"),
        _entry("老年科普大学课程", "education.lifelong", QUALITY, "ELDERLY"),
        _entry("青少年科技创新活动", "education.youth", QUALITY, "CHILDREN YOUTH"),
    ),
}


@dataclass(frozen=True)
class ResourceItem:
    """What a provider offers; its name is prefixed with the provider's short name."""

    kind: ResourceKind
    item: str
    category: str
    tier: Tier
    audiences: tuple[Audience, ...]


def _items(category: str, *rows: tuple[ResourceKind, str, Tier, str]) -> tuple[ResourceItem, ...]:
    return tuple(
        ResourceItem(kind, item, category, tier, audiences(names)) for kind, item, tier, names in rows
    )


VENUE, FUNDS, EXPERT = ResourceKind.VENUE, ResourceKind.FUNDS, ResourceKind.EXPERT
VOLUNTEER_TEAM, MATERIALS = ResourceKind.VOLUNTEER_TEAM, ResourceKind.MATERIALS
EQUIPMENT = ResourceKind.EQUIPMENT

RESOURCE_ITEMS = (
    *_items(
        "employment.jobs",
        (FUNDS, "就业援助专项资金", BOTTOM_LINE, "JOB_SEEKERS LOW_INCOME"),
        (EXPERT, "职业指导师团队", BASIC, "JOB_SEEKERS"),
        (VENUE, "招聘会场地", BASIC, "JOB_SEEKERS"),
        (VOLUNTEER_TEAM, "就业帮扶志愿服务队", BASIC, "JOB_SEEKERS"),
        (MATERIALS, "岗位信息宣传册", BASIC, "JOB_SEEKERS"),
        (EQUIPMENT, "岗位查询自助终端", BASIC, "JOB_SEEKERS"),
    ),
    *_items(
        "employment.startup",
        (FUNDS, "青年创业扶持基金", QUALITY, "YOUTH"),
        (EXPERT, "创业导师团", QUALITY, "YOUTH JOB_SEEKERS"),
        (VENUE, "创业孵化共享工位", QUALITY, "YOUTH"),
        (VENUE, "路演活动厅", QUALITY, "YOUTH"),
    ),
    *_items(
        "employment.training",
        (FUNDS, "技能培训补贴资金", BASIC, "JOB_SEEKERS"),
        (EXPERT, "技能培训讲师团", BASIC, "JOB_SEEKERS"),
        (VENUE, "实训教室", BASIC, "JOB_SEEKERS"),
        (EQUIPMENT, "实训计算机", BASIC, "JOB_SEEKERS"),
        (MATERIALS, "职业培训教材", BASIC, "JOB_SEEKERS"),
    ),
    *_items(
        "employment.rights",
        (EXPERT, "劳动关系协调员", BASIC, "EVERYONE"),
        (FUNDS, "职工帮扶资金", BOTTOM_LINE, "LOW_INCOME"),
        (VENUE, "户外职工爱心驿站", QUALITY, "EVERYONE NEWCOMERS"),
        (MATERIALS, "夏季送清凉慰问品", QUALITY, "EVERYONE"),
    ),
    *_items(
        "health.family_doctor",
        (EXPERT, "家庭医生团队", BASIC, "EVERYONE"),
        (EXPERT, "全科医生专家", BASIC, "ELDERLY"),
        (EQUIPMENT, "健康检测一体机", BASIC, "ELDERLY"),
        (EQUIPMENT, "智能血压计", BASIC, "ELDERLY"),
        (VOLUNTEER_TEAM, "医护志愿服务队", BASIC, "ELDERLY"),
    ),
    *_items(
        "health.prevention",
        (EXPERT, "健康讲座专家", QUALITY, "EVERYONE"),
        (EXPERT, "中医养生专家", QUALITY, "EVERYONE ELDERLY"),
        (MATERIALS, "健康科普读本", BASIC, "EVERYONE"),
        (FUNDS, "健康促进专项资金", BASIC, "EVERYONE"),
        (VENUE, "健康小屋", BASIC, "EVERYONE"),
        (EQUIPMENT, "移动体检设备", BASIC, "ELDERLY"),
    ),
    *_items(
        "health.mental",
        (EXPERT, "心理咨询师团队", QUALITY, "EVERYONE"),
        (VENUE, "心理咨询室", QUALITY, "EVERYONE"),
        (VOLUNTEER_TEAM, "心理疏导志愿服务队", QUALITY, "EVERYONE"),
        (MATERIALS, "心理健康宣传资料", BASIC, "EVERYONE"),
    ),
    *_items(
        "health.women_children",
        (EXPERT, "妇幼保健医生", BASIC, "WOMEN CHILDREN"),
        (VENUE, "母婴室", BASIC, "WOMEN FAMILIES"),
        (MATERIALS, "孕期健康包", BASIC, "WOMEN"),
        (EQUIPMENT, "儿童视力筛查仪", BASIC, "CHILDREN"),
    ),
    *_items(
        "care.home",
        (FUNDS, "居家养老服务专项资金", BOTTOM_LINE, "ELDERLY"),
        (VOLUNTEER_TEAM, "助老志愿服务队", BASIC, "ELDERLY"),
        (EQUIPMENT, "智慧养老呼叫终端", BOTTOM_LINE, "ELDERLY"),
        (EQUIPMENT, "适老化改造器材", BASIC, "ELDERLY"),
        (EXPERT, "养老护理员团队", BOTTOM_LINE, "ELDERLY"),
        (VENUE, "长者照护之家活动室", BASIC, "ELDERLY"),
        (MATERIALS, "助老爱心包", BOTTOM_LINE, "ELDERLY LOW_INCOME"),
    ),
    *_items(
        "care.meals",
        (FUNDS, "老年助餐补贴资金", BOTTOM_LINE, "ELDERLY"),
        (VENUE, "社区长者食堂", BASIC, "ELDERLY"),
        (EQUIPMENT, "智能订餐平板", QUALITY, "ELDERLY"),
        (VOLUNTEER_TEAM, "送餐上门志愿服务队", BASIC, "ELDERLY"),
        (MATERIALS, "保温送餐箱", BASIC, "ELDERLY"),
    ),
    *_items(
        "care.disability",
        (EQUIPMENT, "康复训练器械", BOTTOM_LINE, "DISABLED"),
        (EQUIPMENT, "助行轮椅", BOTTOM_LINE, "DISABLED ELDERLY"),
        (EXPERT, "康复治疗师", BOTTOM_LINE, "DISABLED"),
        (VENUE, "康复训练室", BOTTOM_LINE, "DISABLED"),
        (VOLUNTEER_TEAM, "助残志愿服务队", BASIC, "DISABLED"),
        (FUNDS, "残疾人帮扶资金", BOTTOM_LINE, "DISABLED LOW_INCOME"),
    ),
    *_items(
        "care.relief",
        (FUNDS, "困难家庭帮扶资金", BOTTOM_LINE, "LOW_INCOME"),
        (FUNDS, "慈善救助基金", BOTTOM_LINE, "LOW_INCOME"),
        (MATERIALS, "冬季慰问物资", BOTTOM_LINE, "LOW_INCOME ELDERLY"),
        (MATERIALS, "爱心助学包", BOTTOM_LINE, "LOW_INCOME CHILDREN"),
        (EXPERT, "社工帮扶团队", BOTTOM_LINE, "LOW_INCOME"),
        (VOLUNTEER_TEAM, "结对帮扶志愿服务队", BOTTOM_LINE, "LOW_INCOME"),
    ),
    *_items(
        "education.childcare",
        (VENUE, "暑托班教室", QUALITY, "CHILDREN"),
        (EXPERT, "托育指导教师", BASIC, "CHILDREN FAMILIES"),
        (VOLUNTEER_TEAM, "大学生暑托志愿者", QUALITY, "CHILDREN"),
        (MATERIALS, "儿童绘本", QUALITY, "CHILDREN"),
        (FUNDS, "爱心暑托专项资金", QUALITY, "CHILDREN"),
    ),
    *_items(
        "education.youth",
        (VENUE, "青少年活动室", QUALITY, "YOUTH CHILDREN"),
        (EXPERT, "家庭教育指导师", QUALITY, "FAMILIES"),
        (EXPERT, "科技辅导员", QUALITY, "CHILDREN YOUTH"),
        (EQUIPMENT, "3D打印机", QUALITY, "YOUTH"),
        (EQUIPMENT, "科普实验器材", QUALITY, "CHILDREN"),
    ),
    *_items(
        "education.lifelong",
        (VENUE, "社区学校教室", QUALITY, "EVERYONE"),
        (EXPERT, "老年教育讲师", QUALITY, "ELDERLY"),
        (EQUIPMENT, "教学投影设备", QUALITY, "EVERYONE"),
        (EQUIPMENT, "教学平板电脑", QUALITY, "ELDERLY"),
        (MATERIALS, "流动图书", QUALITY, "EVERYONE"),
        (VOLUNTEER_TEAM, "数字助老志愿服务队", QUALITY, "ELDERLY"),
    ),
    *_items(
        "education.culture",
        (VENUE, "多功能报告厅", QUALITY, "EVERYONE"),
        (VENUE, "舞蹈排练厅", QUALITY, "EVERYONE"),
        (VENUE, "室内体育馆", QUALITY, "EVERYONE"),
        (VENUE, "书画创作室", QUALITY, "ELDERLY"),
        (EXPERT, "非遗传承人", QUALITY, "EVERYONE"),
        (EXPERT, "文艺辅导老师", QUALITY, "EVERYONE"),
        (EQUIPMENT, "移动舞台音响", QUALITY, "EVERYONE"),
        (EQUIPMENT, "健身器材", QUALITY, "EVERYONE"),
        (FUNDS, "社区文化活动经费", QUALITY, "EVERYONE"),
        (VOLUNTEER_TEAM, "文艺志愿服务队", QUALITY, "EVERYONE"),
    ),
    *_items(
        "safety.legal",
        (EXPERT, "社区律师团", BASIC, "EVERYONE"),
        (EXPERT, "法律援助律师", BOTTOM_LINE, "LOW_INCOME"),
        (MATERIALS, "普法宣传资料", BASIC, "EVERYONE"),
        (VOLUNTEER_TEAM, "法律志愿服务队", BASIC, "EVERYONE"),
        (VENUE, "法律咨询室", BASIC, "EVERYONE"),
    ),
    *_items(
        "safety.mediation",
        (EXPERT, "人民调解员", BASIC, "EVERYONE"),
        (VENUE, "调解工作室", BASIC, "EVERYONE"),
        (VOLUNTEER_TEAM, "“老娘舅”调解志愿队", BASIC, "EVERYONE"),
    ),
    *_items(
        "safety.emergency",
        (EQUIPMENT, "AED除颤仪", BASIC, "EVERYONE"),
        (MATERIALS, "防汛物资", BASIC, "EVERYONE"),
        (MATERIALS, "家庭应急包", BASIC, "FAMILIES"),
        (MATERIALS, "灭火器", BASIC, "EVERYONE"),
        (EXPERT, "应急救护培训师", QUALITY, "EVERYONE"),
        (VOLUNTEER_TEAM, "应急救援志愿队", BASIC, "EVERYONE"),
        (EQUIPMENT, "独立式烟感报警器", BOTTOM_LINE, "ELDERLY"),
        (FUNDS, "平安建设专项资金", BASIC, "EVERYONE"),
    ),
    *_items(
        "safety.security",
        (VOLUNTEER_TEAM, "平安巡逻志愿队", BASIC, "EVERYONE"),
        (EXPERT, "反诈宣讲员", BASIC, "ELDERLY"),
        (MATERIALS, "反诈宣传折页", BASIC, "ELDERLY"),
        (EQUIPMENT, "智能门禁设备", BASIC, "EVERYONE"),
    ),
    *_items(
        "community.housing",
        (FUNDS, "加装电梯补贴资金", QUALITY, "ELDERLY"),
        (EXPERT, "物业管理顾问", BASIC, "EVERYONE"),
        (EXPERT, "房屋修缮技术员", BOTTOM_LINE, "LOW_INCOME"),
        (VOLUNTEER_TEAM, "便民维修志愿队", BASIC, "ELDERLY"),
        (EQUIPMENT, "电动自行车充电桩", BASIC, "EVERYONE"),
    ),
    *_items(
        "community.environment",
        (FUNDS, "社区微更新资金", QUALITY, "EVERYONE"),
        (FUNDS, "美丽家园建设资金", QUALITY, "EVERYONE"),
        (EXPERT, "社区规划师", QUALITY, "EVERYONE"),
        (MATERIALS, "垃圾分类宣传品", BASIC, "EVERYONE"),
        (MATERIALS, "绿化苗木", QUALITY, "EVERYONE"),
        (VOLUNTEER_TEAM, "垃圾分类志愿服务队", BASIC, "EVERYONE"),
        (EQUIPMENT, "智能垃圾分类箱", BASIC, "EVERYONE"),
    ),
    *_items(
        "community.convenience",
        (VENUE, "共享客厅", QUALITY, "EVERYONE"),
        (VENUE, "社区共享厨房", QUALITY, "FAMILIES"),
        (EQUIPMENT, "政务自助服务一体机", BASIC, "EVERYONE"),
        (VOLUNTEER_TEAM, "便民理发志愿队", BASIC, "ELDERLY"),
        (MATERIALS, "便民服务工具包", BASIC, "EVERYONE"),
        (FUNDS, "便民服务提升资金", BASIC, "EVERYONE"),
    ),
    *_items(
        "community.volunteering",
        (VOLUNTEER_TEAM, "党员志愿服务队", BASIC, "PARTY_MEMBERS EVERYONE"),
        (VOLUNTEER_TEAM, "青年志愿服务队", QUALITY, "YOUTH"),
        (VOLUNTEER_TEAM, "职工志愿服务队", BASIC, "EVERYONE"),
        (FUNDS, "时间银行激励资金", QUALITY, "EVERYONE"),
        (MATERIALS, "志愿者服装", BASIC, "EVERYONE"),
        (VENUE, "志愿服务站", BASIC, "EVERYONE"),
    ),
)


# What each kind of provider plausibly offers: departments fund and staff, they do not lend rooms.
RESOURCE_KINDS_BY_PROVIDER_KIND = {
    ProviderKind.DEPARTMENT: (FUNDS, EXPERT, VOLUNTEER_TEAM, MATERIALS, EQUIPMENT),
    ProviderKind.HOSPITAL: (VENUE, EXPERT, VOLUNTEER_TEAM, MATERIALS, EQUIPMENT),
    ProviderKind.SCHOOL: (VENUE, EXPERT, VOLUNTEER_TEAM, EQUIPMENT),
    ProviderKind.COMPANY: (VENUE, FUNDS, VOLUNTEER_TEAM, MATERIALS, EQUIPMENT),
    ProviderKind.SOCIAL_ORGANIZATION: (VENUE, FUNDS, EXPERT, VOLUNTEER_TEAM, MATERIALS),
    ProviderKind.PUBLIC_INSTITUTION: (VENUE, EXPERT, VOLUNTEER_TEAM, MATERIALS, EQUIPMENT),
}


@dataclass(frozen=True)
class Measure:
    unit: str
    smallest: int
    largest: int
    step: int = 1
    tenths: bool = False  # funds come in 万元 with one decimal


RESOURCE_MEASURES = {
    VENUE: Measure("平方米", 30, 1200, step=10),
    FUNDS: Measure("万元", 1, 300, tenths=True),
    EXPERT: Measure("人", 1, 40),
    VOLUNTEER_TEAM: Measure("支", 1, 8),
    MATERIALS: Measure("件", 50, 5000, step=10),
    EQUIPMENT: Measure("台", 1, 60),
}

RESOURCE_KIND_SENTENCES = {
    VENUE: "可预约用于社区活动、培训和议事协商，使用后由服务站验收场地。",
    FUNDS: "按项目申报使用，专款专用，使用情况在评议会上向居民公开。",
    EXPERT: "可按需预约到家门口服务站开展咨询、讲座和个别指导。",
    VOLUNTEER_TEAM: "承接家门口服务站派单，服务时长计入时间银行，可兑换服务。",
    MATERIALS: "由服务站申领后按需配送到居村，发放情况登记备查。",
    EQUIPMENT: "可借用或配置到家门口服务站，由提供单位负责维护。",
}

AVAILABILITY_NOTES = {
    Availability.AVAILABLE: (
        "可随时预约，请提前三个工作日提交订单。",
        "工作日和周六上午均可使用。",
        "常年开放，按订单先后安排。",
        "可预约，错时延时时段同样开放。",
        "资源充足，服务站可直接下单。",
    ),
    Availability.LIMITED: (
        "本月剩余名额有限，请尽早预约。",
        "仅工作日可用，周末暂不开放。",
        "每个服务站每季度限预约一次。",
        "部分时段已约满，请在平台查看空余时段。",
    ),
    Availability.UNAVAILABLE: (
        "场地维修中，预计下月恢复开放。",
        "本年度额度已用完，明年一月重新开放申请。",
        "设备检修中，暂停借用。",
    ),
}


@dataclass(frozen=True)
class ProjectTemplate:
    """A deliverable project; its name is prefixed with the provider's short name."""

    title: str
    category: str
    tier: Tier
    audiences: tuple[Audience, ...]


def _projects(category: str, *rows: tuple[str, Tier, str]) -> tuple[ProjectTemplate, ...]:
    return tuple(ProjectTemplate(title, category, tier, audiences(names)) for title, tier, names in rows)


PROJECT_TEMPLATES = (
    *_projects(
        "employment.jobs",
        ("社区招聘会", BASIC, "JOB_SEEKERS"),
        ("就业困难人员结对帮扶", BOTTOM_LINE, "JOB_SEEKERS LOW_INCOME"),
        ("零工驿站岗位对接会", BASIC, "JOB_SEEKERS NEWCOMERS"),
        ("家门口就业服务站共建", BASIC, "JOB_SEEKERS"),
        ("高校毕业生就业指导", BASIC, "YOUTH JOB_SEEKERS"),
    ),
    *_projects(
        "employment.startup",
        ("创业沙龙进社区", QUALITY, "YOUTH JOB_SEEKERS"),
        ("青年创业训练营", QUALITY, "YOUTH"),
        ("社区小店扶持计划", BASIC, "JOB_SEEKERS"),
        ("巾帼创业市集", QUALITY, "WOMEN"),
    ),
    *_projects(
        "employment.training",
        ("家政服务技能培训班", BASIC, "JOB_SEEKERS WOMEN"),
        ("电商直播技能培训", QUALITY, "YOUTH JOB_SEEKERS"),
        ("养老护理员技能培训", BASIC, "JOB_SEEKERS"),
        ("新型职业农民培训", BASIC, "JOB_SEEKERS"),
    ),
    *_projects(
        "employment.rights",
        ("职工法律体检", BASIC, "EVERYONE"),
        ("新就业群体关爱行动", BASIC, "NEWCOMERS"),
        ("夏送清凉慰问", QUALITY, "EVERYONE"),
        ("劳动争议调解进园区", BASIC, "EVERYONE"),
    ),
    *_projects(
        "health.family_doctor",
        ("家庭医生进社区义诊", BASIC, "EVERYONE"),
        ("慢病管理健康小组", BASIC, "ELDERLY"),
        ("高龄老人上门巡诊", BOTTOM_LINE, "ELDERLY"),
        ("家庭病床护理指导", BOTTOM_LINE, "ELDERLY DISABLED"),
    ),
    *_projects(
        "health.prevention",
        ("中医养生讲座", QUALITY, "EVERYONE"),
        ("老年人健康体检进社区", BASIC, "ELDERLY"),
        ("健康自我管理小组", BASIC, "EVERYONE"),
        ("慢性病早筛行动", BASIC, "ELDERLY"),
        ("健康生活方式宣传周", QUALITY, "EVERYONE"),
    ),
    *_projects(
        "health.mental",
        ("心理健康沙龙", QUALITY, "EVERYONE"),
        ("独居老人心理关爱", BASIC, "ELDERLY"),
        ("青少年心理成长营", QUALITY, "YOUTH"),
        ("家庭心理辅导", QUALITY, "FAMILIES"),
    ),
    *_projects(
        "health.women_children",
        ("孕妈课堂", BASIC, "WOMEN"),
        ("儿童视力筛查进社区", BASIC, "CHILDREN"),
        ("两癌筛查宣传", BASIC, "WOMEN"),
        ("婴幼儿养育指导", BASIC, "FAMILIES CHILDREN"),
    ),
    *_projects(
        "care.home",
        ("高龄独居老人关爱探访", BOTTOM_LINE, "ELDERLY"),
        ("居家适老化改造", BASIC, "ELDERLY"),
        ("“老伙伴”互助计划", BASIC, "ELDERLY"),
        ("助浴上门服务", BOTTOM_LINE, "ELDERLY DISABLED"),
        ("认知症友好社区建设", QUALITY, "ELDERLY FAMILIES"),
    ),
    *_projects(
        "care.meals",
        ("长者食堂助餐", BASIC, "ELDERLY"),
        ("送餐上门服务", BOTTOM_LINE, "ELDERLY DISABLED"),
        ("社区助餐点运营", BASIC, "ELDERLY"),
        ("老年营养膳食指导", QUALITY, "ELDERLY"),
    ),
    *_projects(
        "care.disability",
        ("残疾人康复训练", BOTTOM_LINE, "DISABLED"),
        ("阳光之家手工坊", BASIC, "DISABLED"),
        ("助残出行陪护", BOTTOM_LINE, "DISABLED"),
        ("残疾人就业技能培训", BASIC, "DISABLED JOB_SEEKERS"),
    ),
    *_projects(
        "care.relief",
        ("困难家庭结对帮扶", BOTTOM_LINE, "LOW_INCOME FAMILIES"),
        ("冬季送温暖", BOTTOM_LINE, "LOW_INCOME ELDERLY"),
        ("困境儿童圆梦计划", BOTTOM_LINE, "CHILDREN LOW_INCOME"),
        ("爱心助学行动", BOTTOM_LINE, "CHILDREN LOW_INCOME"),
        ("“微心愿”认领", BASIC, "LOW_INCOME"),
    ),
    *_projects(
        "education.childcare",
        ("小学生爱心暑托班", QUALITY, "CHILDREN"),
        ("“四点半课堂”", QUALITY, "CHILDREN FAMILIES"),
        ("亲子阅读会", QUALITY, "CHILDREN FAMILIES"),
        ("社区托育点共建", BASIC, "CHILDREN FAMILIES"),
    ),
    *_projects(
        "education.youth",
        ("青少年科创营", QUALITY, "YOUTH CHILDREN"),
        ("家庭教育讲座", QUALITY, "FAMILIES"),
        ("青少年暑期社会实践", QUALITY, "YOUTH"),
        ("红色研学之旅", QUALITY, "YOUTH PARTY_MEMBERS"),
        ("青少年防溺水教育", BASIC, "CHILDREN YOUTH"),
    ),
    *_projects(
        "education.lifelong",
        ("长者智能手机课堂", QUALITY, "ELDERLY"),
        ("社区学校书法班", QUALITY, "EVERYONE"),
        ("科普讲座进社区", QUALITY, "EVERYONE"),
        ("老年大学社区课堂", QUALITY, "ELDERLY"),
        ("数字生活体验日", QUALITY, "ELDERLY"),
    ),
    *_projects(
        "education.culture",
        ("非遗手工坊", QUALITY, "EVERYONE"),
        ("广场舞培训", QUALITY, "ELDERLY WOMEN"),
        ("社区公益电影放映", QUALITY, "EVERYONE"),
        ("社区合唱团辅导", QUALITY, "ELDERLY"),
        ("全民健身运动会", QUALITY, "EVERYONE"),
        ("沪剧戏曲进社区", QUALITY, "ELDERLY"),
    ),
    *_projects(
        "safety.legal",
        ("法治讲座进社区", BASIC, "EVERYONE"),
        ("律师驻点咨询", BASIC, "EVERYONE"),
        ("民法典宣讲", BASIC, "EVERYONE"),
        ("“法律明白人”培训", QUALITY, "EVERYONE PARTY_MEMBERS"),
    ),
    *_projects(
        "safety.mediation",
        ("“老娘舅”调解工作室", BASIC, "EVERYONE"),
        ("邻里纠纷调解", BASIC, "EVERYONE"),
        ("物业纠纷调解", BASIC, "EVERYONE"),
        ("家事调解服务", BASIC, "FAMILIES"),
    ),
    *_projects(
        "safety.emergency",
        ("消防安全演练", BASIC, "EVERYONE"),
        ("应急救护培训", QUALITY, "EVERYONE"),
        ("防汛防台演练", BASIC, "EVERYONE"),
        ("电动自行车安全充电改造", BASIC, "EVERYONE"),
        ("独居老人烟感安装", BOTTOM_LINE, "ELDERLY"),
    ),
    *_projects(
        "safety.security",
        ("反诈宣传进楼组", BASIC, "ELDERLY EVERYONE"),
        ("平安巡逻", BASIC, "EVERYONE"),
        ("老年人防骗讲座", BASIC, "ELDERLY"),
        ("群租整治联合行动", BASIC, "EVERYONE"),
    ),
    *_projects(
        "community.housing",
        ("老旧小区加装电梯协调", QUALITY, "ELDERLY FAMILIES"),
        ("美丽家园楼道整治", QUALITY, "EVERYONE"),
        ("物业服务提升", BASIC, "EVERYONE"),
        ("业委会规范运作辅导", BASIC, "EVERYONE"),
        ("便民维修进社区", BASIC, "ELDERLY"),
    ),
    *_projects(
        "community.environment",
        ("垃圾分类宣传指导", BASIC, "EVERYONE"),
        ("社区微更新设计", QUALITY, "EVERYONE"),
        ("楼道美化行动", QUALITY, "EVERYONE"),
        ("口袋公园共建", QUALITY, "EVERYONE"),
        ("美丽庭院创建", QUALITY, "FAMILIES"),
    ),
    *_projects(
        "community.convenience",
        ("便民服务日", BASIC, "EVERYONE"),
        ("助老理发服务", BASIC, "ELDERLY"),
        ("家电维修进社区", BASIC, "EVERYONE"),
        ("社区共享厨房运营", QUALITY, "FAMILIES"),
        ("政务服务帮办代办", BOTTOM_LINE, "ELDERLY DISABLED"),
    ),
    *_projects(
        "community.volunteering",
        ("时间银行志愿服务", QUALITY, "EVERYONE"),
        ("党员志愿服务日", BASIC, "PARTY_MEMBERS"),
        ("邻里守望互助", BASIC, "EVERYONE"),
        ("志愿者骨干培训", QUALITY, "EVERYONE PARTY_MEMBERS"),
        ("“三会”议事协商能力培训", QUALITY, "PARTY_MEMBERS EVERYONE"),
    ),
)

PROJECT_DELIVERY_SENTENCES = (
    "由居村按需点单，部门或共建单位送单上门。",
    "每季度开展一次，服务对象可在家门口服务站报名。",
    "由专业社工和志愿者共同实施，居民全过程参与。",
    "按订单排期送到服务站，结束后由居民评价。",
    "可与服务站的错时延时服务时段结合开展。",
)

THREE_MEETINGS_SENTENCE = "项目进站前召开听证会，实施中召开协调会，完成后召开评议会。"


@dataclass(frozen=True)
class Need:
    """A community need; its demand title is the station's place name + need + 需求."""

    need: str
    situation: str
    category: str
    audiences: tuple[Audience, ...]
    only_at: StationKind | None = None  # urban or rural needs


def _needs(category: str, *rows: tuple) -> tuple[Need, ...]:
    return tuple(
        Need(need, situation, category, audiences(names), *rest) for need, situation, names, *rest in rows
    )


RESIDENTIAL, VILLAGE = StationKind.RESIDENTIAL_COMMITTEE, StationKind.VILLAGE

NEEDS = (
    *_needs(
        "employment.jobs",
        ("失业人员就业帮扶", "辖区内有失业和就业困难人员需要岗位推荐和结对帮扶", "JOB_SEEKERS LOW_INCOME"),
        ("灵活就业岗位对接", "快递骑手和家政人员等灵活就业人员希望就近获得岗位信息", "JOB_SEEKERS NEWCOMERS"),
    ),
    *_needs(
        "employment.startup",
        ("社区小店创业指导", "有意开办社区小店的居民希望获得创业指导和政策咨询", "JOB_SEEKERS"),
    ),
    *_needs(
        "employment.training",
        ("家政技能培训", "部分待业居民希望参加家政、养老护理等技能培训", "JOB_SEEKERS WOMEN"),
        ("农业种植技术培训", "村民希望学习设施农业和果蔬种植新技术", "JOB_SEEKERS", VILLAGE),
    ),
    *_needs(
        "employment.rights",
        ("户外职工歇脚点", "环卫工人和外卖骑手缺少歇脚、饮水和充电的地方", "NEWCOMERS EVERYONE"),
    ),
    *_needs(
        "health.family_doctor",
        ("家庭医生上门巡诊", "行动不便的高龄老人较多，到医院就医困难", "ELDERLY DISABLED"),
        ("慢病老人健康管理", "高血压、糖尿病老人希望定期测量并获得用药指导", "ELDERLY"),
    ),
    *_needs(
        "health.prevention",
        ("健康讲座进社区", "居民希望了解慢病预防和合理膳食知识", "EVERYONE"),
        ("老年人体检组织", "老年人希望在家门口就近参加年度体检", "ELDERLY"),
    ),
    *_needs(
        "health.mental",
        ("独居老人心理疏导", "独居老人孤独感较强，需要定期陪伴和心理疏导", "ELDERLY"),
        ("青少年心理辅导", "家长反映孩子学业压力大，希望有专业心理辅导", "YOUTH FAMILIES"),
    ),
    *_needs(
        "health.women_children",
        ("婴幼儿养育指导", "新手父母希望获得科学育儿和婴幼儿照护指导", "FAMILIES CHILDREN"),
    ),
    *_needs(
        "care.home",
        ("高龄老人居家照护", "辖区高龄独居老人较多，日常照料存在困难", "ELDERLY"),
        ("适老化改造", "老旧住房卫生间和楼道缺少扶手，老人容易跌倒", "ELDERLY"),
        ("老年人助浴", "失能半失能老人在家洗澡困难，需要上门助浴", "ELDERLY DISABLED"),
    ),
    *_needs(
        "care.meals",
        ("老年人助餐", "老年人买菜做饭不便，希望就近解决吃饭问题", "ELDERLY"),
        ("送餐上门", "行动不便的老人希望有人送餐上门", "ELDERLY DISABLED"),
    ),
    *_needs(
        "care.disability",
        ("残疾人康复训练", "残疾人希望在家门口获得康复训练指导", "DISABLED"),
        ("残疾人出行陪护", "残疾人外出就医和办事缺少陪护", "DISABLED"),
    ),
    *_needs(
        "care.relief",
        ("困难家庭帮扶", "因病致困家庭生活困难，需要帮扶和救助政策衔接", "LOW_INCOME FAMILIES"),
        ("困境儿童关爱", "困境儿童缺少课业辅导和生活关爱", "CHILDREN LOW_INCOME"),
    ),
    *_needs(
        "education.childcare",
        ("暑期青少年托管", "双职工家庭暑期孩子无人看护", "CHILDREN FAMILIES"),
        ("“四点半课堂”", "小学生放学后到家长下班前无人看护", "CHILDREN FAMILIES"),
    ),
    *_needs(
        "education.youth",
        ("青少年科普活动", "孩子们希望参加科学实验和科技创新活动", "CHILDREN YOUTH"),
        ("家庭教育讲座", "家长希望学习亲子沟通和家庭教育方法", "FAMILIES"),
    ),
    *_needs(
        "education.lifelong",
        ("老年人智能手机培训", "老年人不会用手机挂号、扫码和叫车", "ELDERLY"),
        ("社区学校课程", "居民希望开设书法、摄影、英语等课程", "EVERYONE"),
    ),
    *_needs(
        "education.culture",
        ("文艺团队排练场地", "社区合唱队和舞蹈队缺少固定的排练场地", "ELDERLY EVERYONE"),
        ("健身器材更新", "健身苑点器材老化，需要更新和维护", "EVERYONE"),
        ("公益电影放映", "居民希望在夏季夜晚观看露天公益电影", "EVERYONE", VILLAGE),
    ),
    *_needs(
        "safety.legal",
        ("法律咨询", "居民在遗产继承、房屋租赁等方面需要法律咨询", "EVERYONE"),
    ),
    *_needs(
        "safety.mediation",
        ("邻里纠纷调解", "楼上楼下漏水、噪声引发邻里矛盾需要调解", "EVERYONE", RESIDENTIAL),
        ("物业纠纷调解", "业主与物业在收费和服务质量上有分歧", "EVERYONE", RESIDENTIAL),
        ("宅基地纠纷调解", "村民之间因宅基地边界产生矛盾需要调解", "FAMILIES", VILLAGE),
    ),
    *_needs(
        "safety.emergency",
        ("消防安全隐患整改", "楼道堆物和电动自行车飞线充电存在消防隐患", "EVERYONE"),
        ("应急救护培训", "居民希望学习心肺复苏和AED使用", "EVERYONE"),
        ("防汛物资补充", "低洼地段汛期容易积水，需要补充防汛物资", "EVERYONE"),
    ),
    *_needs(
        "safety.security",
        ("反诈宣传", "近期有老人接到诈骗电话，需要加强反诈宣传", "ELDERLY"),
        ("夜间巡逻", "居民反映夜间照明差、治安巡逻不足", "EVERYONE"),
    ),
    *_needs(
        "community.housing",
        (
            "加装电梯意见协调",
            "多层住宅老人上下楼困难，加装电梯需要协调楼组意见",
            "ELDERLY FAMILIES",
            RESIDENTIAL,
        ),
        ("楼道修缮", "老旧楼道墙面剥落、扶手松动，需要修缮", "EVERYONE", RESIDENTIAL),
        ("停车难治理", "小区停车位不足，夜间乱停车现象突出", "EVERYONE", RESIDENTIAL),
    ),
    *_needs(
        "community.environment",
        ("垃圾分类指导", "部分居民垃圾分类不到位，需要宣传指导", "EVERYONE"),
        ("小区绿化改造", "小区绿地荒废，居民希望改造为休闲空间", "EVERYONE", RESIDENTIAL),
        ("村宅环境整治", "村宅周边杂物堆放、河道需要清理", "EVERYONE", VILLAGE),
    ),
    *_needs(
        "community.convenience",
        ("便民理发", "老年人希望每月在家门口就近理发", "ELDERLY"),
        ("家电维修", "居民希望定期有家电维修和磨刀配钥匙服务", "EVERYONE"),
        ("村组道路照明", "村组道路夜间照明不足，村民出行不便", "EVERYONE", VILLAGE),
    ),
    *_needs(
        "community.volunteering",
        ("志愿者招募", "社区活动和助老服务缺少志愿者", "EVERYONE PARTY_MEMBERS"),
        ("时间银行积分兑换", "志愿者希望用时间银行积分兑换服务", "EVERYONE"),
    ),
)

URGENCY_REQUESTS = {
    Urgency.EMERGENCY: "列为应急单，请即接即办、限时办结。",
    Urgency.KEY: "列为重点单，请相关部门和共建单位优先对接。",
    Urgency.ROUTINE: "列为常规单，欢迎相关部门和共建单位认领。",
}

COMPLETABLE_ON_SPOT_SENTENCE = "材料齐全的可在家门口服务站当场办结。"
CONSULTABLE_ON_SPOT_SENTENCE = "可在家门口服务站当场咨询，需要办理的由工作人员帮办代办。"
REFERRED_SENTENCE = "由家门口服务站受理预约后转部门办理。"
AT_HOME_SENTENCE = "行动不便的居民可申请上门服务。"
ONLINE_SENTENCE = "也可通过手机端和电视端在线预约。"
