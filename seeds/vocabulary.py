"""Chinese names of places and providers, and the category taxonomy.

Everything is written for Pudong. Other Shanghai districts reuse the same words
through `ShanghaiDistrict.localise`, so one vocabulary serves a whole city.
"""

from __future__ import annotations

from dataclasses import dataclass

from models import Audience, ProviderKind, TownKind

PUDONG_CODE = "310115"


@dataclass(frozen=True)
class ShanghaiDistrict:
    code: str
    name: str  # 浦东新区
    area: str  # 浦东: the short form used inside names such as 浦东图书馆

    def localise(self, template: str) -> str:
        """Adapt a Pudong name to this district.

        `{district}` and `{area}` placeholders take this district's names. A name without
        placeholders is a Pudong proper name (a town, a landmark institution): other
        districts get it prefixed with their own name so that no two districts share it.
        """
        name = template.format(district=self.name, area=self.area)
        if name == template and self.code != PUDONG_CODE:
            return self.name + name
        return name


DISTRICTS = (
    ShanghaiDistrict(PUDONG_CODE, "浦东新区", "浦东"),
    ShanghaiDistrict("310112", "闵行区", "闵行"),
    ShanghaiDistrict("310120", "奉贤区", "奉贤"),
    ShanghaiDistrict("310101", "黄浦区", "黄浦"),
    ShanghaiDistrict("310104", "徐汇区", "徐汇"),
    ShanghaiDistrict("310105", "长宁区", "长宁"),
    ShanghaiDistrict("310106", "静安区", "静安"),
    ShanghaiDistrict("310107", "普陀区", "普陀"),
    ShanghaiDistrict("310109", "虹口区", "虹口"),
    ShanghaiDistrict("310110", "杨浦区", "杨浦"),
    ShanghaiDistrict("310113", "宝山区", "宝山"),
    ShanghaiDistrict("310114", "嘉定区", "嘉定"),
    ShanghaiDistrict("310116", "金山区", "金山"),
    ShanghaiDistrict("310117", "松江区", "松江"),
    ShanghaiDistrict("310118", "青浦区", "青浦"),
    ShanghaiDistrict("310151", "崇明区", "崇明"),
)


# The 12 sub-districts (街道) and 24 towns (镇) of Pudong.
TOWNS = (
    ("潍坊新村街道", TownKind.SUBDISTRICT),
    ("陆家嘴街道", TownKind.SUBDISTRICT),
    ("周家渡街道", TownKind.SUBDISTRICT),
    ("塘桥街道", TownKind.SUBDISTRICT),
    ("上钢新村街道", TownKind.SUBDISTRICT),
    ("南码头路街道", TownKind.SUBDISTRICT),
    ("沪东新村街道", TownKind.SUBDISTRICT),
    ("金杨新村街道", TownKind.SUBDISTRICT),
    ("洋泾街道", TownKind.SUBDISTRICT),
    ("浦兴路街道", TownKind.SUBDISTRICT),
    ("东明路街道", TownKind.SUBDISTRICT),
    ("花木街道", TownKind.SUBDISTRICT),
    ("川沙新镇", TownKind.TOWN),
    ("高桥镇", TownKind.TOWN),
    ("北蔡镇", TownKind.TOWN),
    ("合庆镇", TownKind.TOWN),
    ("唐镇", TownKind.TOWN),
    ("曹路镇", TownKind.TOWN),
    ("金桥镇", TownKind.TOWN),
    ("高行镇", TownKind.TOWN),
    ("高东镇", TownKind.TOWN),
    ("张江镇", TownKind.TOWN),
    ("三林镇", TownKind.TOWN),
    ("惠南镇", TownKind.TOWN),
    ("周浦镇", TownKind.TOWN),
    ("新场镇", TownKind.TOWN),
    ("大团镇", TownKind.TOWN),
    ("康桥镇", TownKind.TOWN),
    ("航头镇", TownKind.TOWN),
    ("祝桥镇", TownKind.TOWN),
    ("泥城镇", TownKind.TOWN),
    ("宣桥镇", TownKind.TOWN),
    ("书院镇", TownKind.TOWN),
    ("万祥镇", TownKind.TOWN),
    ("老港镇", TownKind.TOWN),
    ("南汇新城镇", TownKind.TOWN),
)


def town_place_name(town: str) -> str:
    """潍坊新村街道 -> 潍坊新村, 川沙新镇 -> 川沙, 唐镇 -> 唐镇 (a one-character stem keeps its 镇)."""
    for suffix in ("街道", "新镇", "镇"):
        stem = town.removesuffix(suffix)
        if stem != town and len(stem) >= 2:
            return stem
    return town


# Residential committees (居委) are named after their estates: 梅园新村, 崂山三村, 联洋第一…
ESTATE_PREFIXES = (
    "梅园",
    "东昌",
    "崂山",
    "潍坊",
    "南泉",
    "福山",
    "松山",
    "源竹",
    "竹园",
    "仁恒",
    "世茂",
    "联洋",
    "锦绣",
    "香梅",
    "明珠",
    "碧云",
    "阳光",
    "海防",
    "浦建",
    "蓝村",
    "龙阳",
    "芳华",
    "培花",
    "由由",
    "杨思",
    "临沂",
    "南码头",
    "浦三",
    "昌里",
    "齐河",
    "德州",
    "上南",
    "雪野",
    "耀华",
    "东明",
    "金杨",
    "沪东",
    "浦兴",
    "洋泾",
    "泾东",
    "崮山",
    "罗山",
    "金桥湾",
    "孙桥",
    "北蔡",
    "高行",
    "凌河",
    "懿德",
    "康桥",
    "御桥",
    "海港",
    "芦茂",
    "花木",
    "大唐",
    "东陆",
    "长岛",
    "博山",
    "金台",
    "永泰",
    "羽山",
    "灵山",
    "文登",
    "乳山",
    "栖山",
    "沈家弄",
    "樱花",
    "牡丹",
    "银杏",
    "香樟",
    "枫林",
)
ESTATE_SUFFIXES = (
    "新村",
    "一村",
    "二村",
    "三村",
    "四村",
    "五村",
    "六村",
    "七村",
    "八村",
    "苑",
    "花园",
    "家园",
    "公寓",
    "小区",
    "名邸",
    "佳苑",
    "第一",
    "第二",
    "第三",
    "东区",
    "西区",
    "南区",
    "北区",
)

# Villages (村) carry two-character names such as 登三村, 界龙村, 连民村.
VILLAGE_FIRST_CHARACTERS = (
    "登",
    "界",
    "连",
    "新",
    "民",
    "永",
    "华",
    "东",
    "西",
    "南",
    "北",
    "中",
    "长",
    "丰",
    "福",
    "龙",
    "联",
    "友",
    "建",
    "红",
    "光",
    "胜",
    "利",
    "和",
    "兴",
    "隆",
    "金",
    "黄",
    "桃",
    "海",
    "滨",
    "港",
    "塘",
    "营",
    "沈",
    "顾",
    "季",
    "倪",
    "施",
    "杨",
    "革",
    "芦",
)
VILLAGE_SECOND_CHARACTERS = (
    "三",
    "龙",
    "民",
    "丰",
    "建",
    "光",
    "星",
    "华",
    "兴",
    "联",
    "义",
    "东",
    "南",
    "西",
    "北",
    "桥",
    "港",
    "塘",
    "园",
    "庄",
    "家",
    "虹",
    "德",
    "盛",
    "荣",
    "安",
    "和",
    "新",
    "乐",
    "勤",
    "胜",
    "强",
)

ROADS = (
    "浦东南路",
    "浦东大道",
    "张杨路",
    "世纪大道",
    "东方路",
    "潍坊路",
    "崂山路",
    "源深路",
    "南泉北路",
    "福山路",
    "浦电路",
    "峨山路",
    "东昌路",
    "商城路",
    "杨高南路",
    "杨高中路",
    "杨高北路",
    "锦绣路",
    "芳甸路",
    "龙阳路",
    "金桥路",
    "川沙路",
    "华夏东路",
    "沪南公路",
    "周祝公路",
    "航头路",
    "康桥路",
    "秀浦路",
    "御桥路",
    "上南路",
    "成山路",
    "德州路",
    "高科西路",
    "张江路",
    "祖冲之路",
    "碧波路",
    "金科路",
    "晨晖路",
    "博云路",
    "港城路",
    "五洲大道",
    "巨峰路",
    "金海路",
    "申江路",
    "唐陆公路",
    "川周公路",
    "人民东路",
    "拱为路",
    "城南路",
    "环湖西一路",
    "浦建路",
    "东明路",
    "灵岩南路",
    "三林路",
    "杨思路",
    "临沂路",
    "南码头路",
    "洪山路",
    "高青路",
    "新场大街",
)


@dataclass(frozen=True)
class Department:
    name: str  # a template for `ShanghaiDistrict.localise`
    short_name: str  # formatted with {district} and {area} only
    description: str


# The 26 district departments (区职能部门) that publish the doorstep service catalog.
DEPARTMENTS = (
    Department(
        "{district}民政局", "区民政局", "负责社会救助、养老服务、婚姻登记和社区建设，统筹家门口服务站建设。"
    ),
    Department(
        "{district}人力资源和社会保障局", "区人社局", "负责就业促进、职业技能培训、社会保险和劳动关系协调。"
    ),
    Department(
        "{district}卫生健康委员会", "区卫生健康委", "负责家庭医生签约、公共卫生、妇幼健康和老年健康服务。"
    ),
    Department("{district}教育局", "区教育局", "负责学前教育、义务教育、家庭教育指导和社区教育。"),
    Department(
        "{district}文化体育和旅游局", "区文体旅游局", "负责公共文化服务、全民健身、非遗保护和文化活动配送。"
    ),
    Department("{district}司法局", "区司法局", "负责法律援助、人民调解、公共法律服务和法治宣传。"),
    Department("{district}残疾人联合会", "区残联", "负责残疾人康复、就业援助、辅助器具适配和权益维护。"),
    Department("{district}退役军人事务局", "区退役军人事务局", "负责退役军人优抚、就业创业扶持和服务保障。"),
    Department("{district}医疗保障局", "区医保局", "负责基本医疗保险、长期护理保险和医疗救助。"),
    Department(
        "{district}住房和城乡建设管理委员会", "区住建委", "负责住房保障、旧住房更新、物业管理和加装电梯。"
    ),
    Department("{district}生态环境局", "区生态环境局", "负责生态环境保护、垃圾分类宣传和环境投诉处理。"),
    Department(
        "{district}市场监督管理局", "区市场监管局", "负责市场主体登记、食品安全、消费维权和特种设备安全。"
    ),
    Department("{district}应急管理局", "区应急局", "负责应急预案、防汛防台、应急避难和安全生产宣传。"),
    Department(
        "{district}城市管理行政执法局", "区城管执法局", "负责市容环境、违法建筑和群租整治等城市管理执法。"
    ),
    Department("{district}农业农村委员会", "区农业农村委", "负责乡村振兴、农村宅基地管理和农业技术推广。"),
    Department("{district}科技和经济委员会", "区科经委", "负责科技创新、中小企业服务和智慧社区应用推广。"),
    Department("{district}商务委员会", "区商务委", "负责社区商业、早餐工程、家政服务和消费促进。"),
    Department(
        "{district}规划和自然资源局", "区规划资源局", "负责社区规划、不动产登记和15分钟社区生活圈建设。"
    ),
    Department("{district}总工会", "区总工会", "负责职工权益维护、困难职工帮扶和职工技能提升。"),
    Department("共青团{district}委员会", "团区委", "负责青少年成长服务、青年就业见习和青年志愿服务。"),
    Department("{district}妇女联合会", "区妇联", "负责妇女儿童权益维护、家庭建设和妇女创业就业。"),
    Department("{district}红十字会", "区红十字会", "负责应急救护培训、人道救助和无偿捐献宣传。"),
    Department("上海市公安局{area}分局", "区公安分局", "负责户籍、居住证、治安防范和反诈宣传。"),
    Department("{district}消防救援支队", "区消防救援支队", "负责消防安全检查、火灾隐患排查和消防宣传。"),
    Department(
        "国家税务总局上海市{district}税务局", "区税务局", "负责税费政策咨询、个人所得税汇算和社保费征缴。"
    ),
    Department("{district}科学技术协会", "区科协", "负责科学普及、青少年科技创新和老年科普教育。"),
)


@dataclass(frozen=True)
class PartnerUnit:
    kind: ProviderKind
    name: str  # a template for `ShanghaiDistrict.localise`
    short_name: str  # formatted with {district} and {area} only
    fields: tuple[str, ...]  # the category codes it offers resources and projects in


# Partner units of regional party building (区域化党建共建单位).
PARTNER_UNITS = (
    PartnerUnit(
        ProviderKind.HOSPITAL,
        "{district}人民医院",
        "区人民医院",
        (
            "health.family_doctor",
            "health.prevention",
            "health.women_children",
            "care.home",
            "safety.emergency",
        ),
    ),
    PartnerUnit(
        ProviderKind.HOSPITAL,
        "同济大学附属东方医院",
        "东方医院",
        ("health.family_doctor", "health.prevention", "health.mental", "safety.emergency"),
    ),
    PartnerUnit(
        ProviderKind.HOSPITAL,
        "{district}公利医院",
        "公利医院",
        ("health.family_doctor", "health.prevention", "care.home", "care.disability"),
    ),
    PartnerUnit(
        ProviderKind.HOSPITAL,
        "{district}周浦医院",
        "周浦医院",
        ("health.family_doctor", "health.prevention", "care.home", "safety.emergency"),
    ),
    PartnerUnit(
        ProviderKind.HOSPITAL,
        "{district}中医医院",
        "区中医医院",
        ("health.prevention", "health.family_doctor", "care.home"),
    ),
    PartnerUnit(
        ProviderKind.HOSPITAL,
        "{district}妇幼保健院",
        "区妇幼保健院",
        ("health.women_children", "health.prevention", "education.childcare"),
    ),
    PartnerUnit(
        ProviderKind.HOSPITAL,
        "{district}精神卫生中心",
        "区精神卫生中心",
        ("health.mental", "care.disability"),
    ),
    PartnerUnit(
        ProviderKind.HOSPITAL,
        "{district}潍坊社区卫生服务中心",
        "潍坊社区卫生服务中心",
        ("health.family_doctor", "health.prevention", "care.home", "health.women_children"),
    ),
    PartnerUnit(
        ProviderKind.HOSPITAL,
        "{district}花木社区卫生服务中心",
        "花木社区卫生服务中心",
        ("health.family_doctor", "health.prevention", "care.home", "health.mental"),
    ),
    PartnerUnit(
        ProviderKind.HOSPITAL,
        "{district}川沙社区卫生服务中心",
        "川沙社区卫生服务中心",
        ("health.family_doctor", "health.prevention", "care.home", "care.disability"),
    ),
    PartnerUnit(
        ProviderKind.HOSPITAL,
        "{district}三林社区卫生服务中心",
        "三林社区卫生服务中心",
        ("health.family_doctor", "health.prevention", "care.home", "health.women_children"),
    ),
    PartnerUnit(
        ProviderKind.SCHOOL,
        "上海市建平中学",
        "建平中学",
        ("education.youth", "education.culture", "education.childcare", "community.volunteering"),
    ),
    PartnerUnit(
        ProviderKind.SCHOOL,
        "上海市进才中学",
        "进才中学",
        ("education.youth", "education.culture", "education.childcare", "community.volunteering"),
    ),
    PartnerUnit(
        ProviderKind.SCHOOL,
        "华东师范大学第二附属中学",
        "华师大二附中",
        ("education.youth", "education.lifelong", "education.culture", "community.volunteering"),
    ),
    PartnerUnit(
        ProviderKind.SCHOOL,
        "上海中医药大学",
        "上海中医药大学",
        ("health.prevention", "health.family_doctor", "education.lifelong", "community.volunteering"),
    ),
    PartnerUnit(
        ProviderKind.SCHOOL,
        "上海海事大学",
        "海事大学",
        (
            "education.youth",
            "employment.jobs",
            "employment.training",
            "community.volunteering",
            "safety.emergency",
        ),
    ),
    PartnerUnit(
        ProviderKind.SCHOOL,
        "{district}社区学院",
        "区社区学院",
        ("education.lifelong", "education.culture", "employment.training"),
    ),
    PartnerUnit(
        ProviderKind.SCHOOL,
        "上海开放大学{area}分校",
        "开放大学{area}分校",
        ("education.lifelong", "employment.training", "employment.startup"),
    ),
    PartnerUnit(
        ProviderKind.COMPANY,
        "上海陆家嘴（集团）有限公司",
        "陆家嘴集团",
        (
            "employment.jobs",
            "employment.rights",
            "community.housing",
            "community.convenience",
            "community.volunteering",
        ),
    ),
    PartnerUnit(
        ProviderKind.COMPANY,
        "上海张江（集团）有限公司",
        "张江集团",
        ("employment.startup", "employment.jobs", "education.youth", "community.volunteering"),
    ),
    PartnerUnit(
        ProviderKind.COMPANY,
        "上海金桥（集团）有限公司",
        "金桥集团",
        ("employment.jobs", "employment.startup", "community.environment", "community.volunteering"),
    ),
    PartnerUnit(
        ProviderKind.COMPANY,
        "上海外高桥集团股份有限公司",
        "外高桥集团",
        ("employment.jobs", "employment.training", "community.convenience", "community.volunteering"),
    ),
    PartnerUnit(
        ProviderKind.COMPANY,
        "国网上海市电力公司{area}供电公司",
        "{area}供电公司",
        ("safety.emergency", "community.housing", "community.convenience", "community.volunteering"),
    ),
    PartnerUnit(
        ProviderKind.COMPANY,
        "中国移动通信集团上海有限公司{area}分公司",
        "{area}移动",
        ("education.lifelong", "community.convenience", "safety.security", "community.volunteering"),
    ),
    PartnerUnit(
        ProviderKind.COMPANY,
        "中国工商银行上海市{area}分行",
        "工行{area}分行",
        (
            "safety.security",
            "community.convenience",
            "employment.startup",
            "care.relief",
            "community.volunteering",
        ),
    ),
    PartnerUnit(
        ProviderKind.COMPANY,
        "上海{area}公共交通有限公司",
        "{area}公交",
        ("community.convenience", "community.volunteering", "safety.emergency", "care.disability"),
    ),
    PartnerUnit(
        ProviderKind.SOCIAL_ORGANIZATION,
        "上海市{district}阳光慈善救助服务社",
        "阳光慈善救助服务社",
        ("care.relief", "care.home", "care.disability", "health.mental"),
    ),
    PartnerUnit(
        ProviderKind.SOCIAL_ORGANIZATION,
        "上海乐群社工服务社",
        "乐群社工",
        (
            "care.relief",
            "care.home",
            "education.childcare",
            "education.youth",
            "health.mental",
            "safety.mediation",
        ),
    ),
    PartnerUnit(
        ProviderKind.SOCIAL_ORGANIZATION,
        "上海屋里厢社区服务中心",
        "屋里厢",
        ("community.convenience", "community.volunteering", "care.meals", "care.home", "education.culture"),
    ),
    PartnerUnit(
        ProviderKind.SOCIAL_ORGANIZATION,
        "{district}志愿者协会",
        "区志愿者协会",
        ("community.volunteering", "safety.emergency", "care.home", "community.environment"),
    ),
    PartnerUnit(
        ProviderKind.SOCIAL_ORGANIZATION,
        "{district}老年人协会",
        "区老年人协会",
        ("care.home", "care.meals", "education.lifelong", "education.culture"),
    ),
    PartnerUnit(
        ProviderKind.SOCIAL_ORGANIZATION,
        "{district}物业管理行业协会",
        "区物业协会",
        ("community.housing", "community.environment", "safety.mediation"),
    ),
    PartnerUnit(
        ProviderKind.SOCIAL_ORGANIZATION,
        "{district}心理咨询协会",
        "区心理咨询协会",
        ("health.mental", "education.youth"),
    ),
    PartnerUnit(
        ProviderKind.SOCIAL_ORGANIZATION,
        "{district}人民调解协会",
        "区人民调解协会",
        ("safety.mediation", "safety.legal"),
    ),
    PartnerUnit(
        ProviderKind.SOCIAL_ORGANIZATION,
        "{district}慈善基金会",
        "区慈善基金会",
        ("care.relief", "care.disability", "education.childcare"),
    ),
    PartnerUnit(
        ProviderKind.PUBLIC_INSTITUTION,
        "{area}图书馆",
        "{area}图书馆",
        ("education.lifelong", "education.childcare", "education.culture"),
    ),
    PartnerUnit(
        ProviderKind.PUBLIC_INSTITUTION,
        "{district}文化艺术指导中心",
        "区文化艺术指导中心",
        ("education.culture", "education.lifelong"),
    ),
    PartnerUnit(
        ProviderKind.PUBLIC_INSTITUTION,
        "{district}青少年活动中心",
        "区青少年活动中心",
        ("education.youth", "education.childcare", "education.culture"),
    ),
    PartnerUnit(
        ProviderKind.PUBLIC_INSTITUTION,
        "{district}公共法律服务中心",
        "区公共法律服务中心",
        ("safety.legal", "safety.mediation"),
    ),
    PartnerUnit(
        ProviderKind.PUBLIC_INSTITUTION,
        "{district}社会组织服务中心",
        "区社会组织服务中心",
        ("community.volunteering", "care.relief", "community.environment"),
    ),
    PartnerUnit(
        ProviderKind.PUBLIC_INSTITUTION,
        "{district}疾病预防控制中心",
        "区疾控中心",
        ("health.prevention", "health.women_children", "safety.emergency"),
    ),
    PartnerUnit(
        ProviderKind.PUBLIC_INSTITUTION,
        "{district}就业促进中心",
        "区就业促进中心",
        ("employment.jobs", "employment.training", "employment.startup", "employment.rights"),
    ),
    PartnerUnit(
        ProviderKind.PUBLIC_INSTITUTION,
        "{district}老年大学",
        "区老年大学",
        ("education.lifelong", "education.culture"),
    ),
)

PARTNER_DESCRIPTIONS = {
    ProviderKind.HOSPITAL: "区域化党建共建单位，向家门口服务站开放医疗专家、健康讲座、义诊和康复资源。",
    ProviderKind.SCHOOL: "区域化党建共建单位，向社区开放场地、师资和学生志愿者，参与社区教育。",
    ProviderKind.COMPANY: "区域化党建共建企业，以资金、场地、设备和职工志愿者支持社区民生项目。",
    ProviderKind.SOCIAL_ORGANIZATION: "社会组织，承接政府购买服务，提供专业社工、志愿服务和公益项目。",
    ProviderKind.PUBLIC_INSTITUTION: "事业单位，向基层配送公共服务资源和专业人员，支持家门口服务站运行。",
}


@dataclass(frozen=True)
class CategoryName:
    code: str
    name: str
    description: str


# The six major categories (六大类) of the three lists, each with the domains of the
# service menu beneath it.
CATEGORIES = (
    (
        CategoryName("employment", "就业创业", "就业岗位、创业扶持、技能培训和劳动权益服务。"),
        (
            CategoryName("employment.jobs", "就业服务", "岗位推荐、失业登记、就业困难人员援助和职业见习。"),
            CategoryName("employment.startup", "创业扶持", "创业指导、创业担保贷款、政策咨询和孵化空间。"),
            CategoryName("employment.training", "技能培训", "职业技能培训、补贴申请和农业技术指导。"),
            CategoryName("employment.rights", "劳动权益", "劳动争议调解、职工法律援助和职工关爱。"),
        ),
    ),
    (
        CategoryName("health", "健康医疗", "家庭医生、疾病预防、心理健康、妇幼健康和医疗保障。"),
        (
            CategoryName("health.family_doctor", "家庭医生", "家庭医生签约、慢性病管理和上门诊疗。"),
            CategoryName("health.prevention", "疾病预防", "健康体检、预防接种、健康讲座和中医养生。"),
            CategoryName("health.mental", "心理健康", "心理咨询、心理疏导和危机干预。"),
            CategoryName("health.women_children", "妇幼健康", "孕产妇健康管理、儿童保健和两癌筛查。"),
        ),
    ),
    (
        CategoryName("care", "养老助残", "居家养老、老年助餐、助残服务和帮困救助。"),
        (
            CategoryName("care.home", "居家养老", "居家照护、长期护理、养老补贴和适老化改造。"),
            CategoryName("care.meals", "老年助餐", "长者食堂、助餐点和送餐上门。"),
            CategoryName("care.disability", "助残服务", "残疾人康复、辅助器具、日间照料和就业援助。"),
            CategoryName("care.relief", "帮困救助", "最低生活保障、特困供养、临时救助和困难家庭帮扶。"),
        ),
    ),
    (
        CategoryName("education", "教育文化", "托育托管、青少年成长、终身学习和文体活动。"),
        (
            CategoryName("education.childcare", "托育托管", "幼儿托育、课后看护和暑期托管。"),
            CategoryName("education.youth", "青少年成长", "家庭教育、青少年活动和科技创新。"),
            CategoryName("education.lifelong", "终身学习", "社区学校、老年教育、科普和数字技能。"),
            CategoryName("education.culture", "文体活动", "文化配送、全民健身、非遗体验和文艺团队。"),
        ),
    ),
    (
        CategoryName("safety", "平安法治", "法律服务、矛盾调解、应急消防和治安防范。"),
        (
            CategoryName("safety.legal", "法律服务", "法律援助、律师值班、公证咨询和法治宣传。"),
            CategoryName("safety.mediation", "矛盾调解", "人民调解、家事调解和消费纠纷调解。"),
            CategoryName("safety.emergency", "应急消防", "消防安全、防汛防台、应急救护和避难指引。"),
            CategoryName("safety.security", "治安防范", "反诈宣传、社区民警、群租整治和食品安全。"),
        ),
    ),
    (
        CategoryName("community", "社区生活", "住房物业、环境美化、便民服务和志愿服务。"),
        (
            CategoryName("community.housing", "住房物业", "住房保障、物业服务、维修资金和加装电梯。"),
            CategoryName("community.environment", "环境美化", "垃圾分类、美丽家园、社区规划和市容整治。"),
            CategoryName("community.convenience", "便民服务", "证照办理、社保税费、家政和社区商业。"),
            CategoryName("community.volunteering", "志愿服务", "志愿者招募、时间银行和党员志愿服务。"),
        ),
    ),
)

AUDIENCE_LABELS = {
    Audience.EVERYONE: "居民",
    Audience.ELDERLY: "老年人",
    Audience.CHILDREN: "儿童",
    Audience.YOUTH: "青少年",
    Audience.WOMEN: "妇女",
    Audience.FAMILIES: "家庭",
    Audience.DISABLED: "残疾人",
    Audience.JOB_SEEKERS: "求职人员",
    Audience.LOW_INCOME: "困难群众",
    Audience.VETERANS: "退役军人",
    Audience.PARTY_MEMBERS: "党员",
    Audience.NEWCOMERS: "新市民",
}
