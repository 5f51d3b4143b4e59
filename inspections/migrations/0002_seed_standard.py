"""Seed the standard with the plan's defaults (PLAN §2): six unifications, the service code,
and a clearly marked placeholder list of the ten prohibitions, which the plan does not list.

The data lives here, frozen with the migration, so that later edits to the defaults in code
cannot change what an existing database was seeded with. Everything is editable afterwards.
"""

from django.db import migrations

CATEGORIES = [
    # code, name, description, provisions [(code, text)]
    (
        "culture",
        "企业文化规范",
        "严格、规范、谨慎、诚信、创新的行业作风；车户中心、积极上进、安全效益的服务理念。",
        [
            ("CUL-01", "熟知收费所的服务理念、服务宗旨和行业作风“严格、规范、谨慎、诚信、创新”，能准确表述。"),
            ("CUL-02", "坚持“车户中心”理念，主动为司乘人员提供便民服务，不得以任何理由推诿。"),
            ("CUL-03", "按时参加规范化服务学习、培训和班前会，学习记录完整。"),
            ("CUL-04", "维护收费所形象，不在公共场所及网络上发表有损收费所形象的言论。"),
        ],
    ),
    (
        "signage",
        "机构标识规范",
        "收费站名、收费标志、公示牌及监督电话统一、醒目、完好。",
        [
            ("SIG-01", "收费站站名、收费标志、车道信号灯等标识齐全、清晰、完好，损坏及时报修。"),
            ("SIG-02", "收费公示牌、收费标准及投诉监督电话按规定位置公示，内容准确、及时更新。"),
            ("SIG-03", "收费亭内上岗证、工号牌、服务承诺牌摆放在规定位置，正面朝向车道。"),
            ("SIG-04", "车道临时关闭、绿色通道等提示标志按规定设置，不得遮挡、随意移动。"),
        ],
    ),
    (
        "environment",
        "办公环境规范",
        "收费亭、票据室、办公区整洁有序，物品定置摆放。",
        [
            ("ENV-01", "收费亭内物品按定置图摆放，台面整洁，无与工作无关的私人物品。"),
            ("ENV-02", "收费亭、车道及广场区域保持清洁，无杂物、无积水、无乱贴乱画。"),
            ("ENV-03", "交接班时做好亭内卫生和设备清点，交接记录填写完整。"),
            ("ENV-04", "办公区、票据室安全防范设施完好，票款按规定存放，闲杂人员不得进入。"),
        ],
    ),
    (
        "dress",
        "着装规范",
        "上岗统一着装，仪容整洁，佩戴工号牌。",
        [
            ("DRS-01", "上岗按季节统一着收费制服，衣着整洁，不得混穿便服或敞怀、挽袖。"),
            ("DRS-02", "上岗佩戴工号牌，位置规范，不得遮挡、不得冒用他人工号。"),
            ("DRS-03", "仪容端庄，女员工淡妆上岗、长发盘起；男员工不留长发、不留胡须。"),
            ("DRS-04", "上岗不佩戴夸张饰品，不穿拖鞋，不戴有色眼镜（因病除外）。"),
        ],
    ),
    (
        "service",
        "服务标准规范",
        "服务礼仪、操作程序、通行效率和便民措施。",
        [
            ("SRV-01", "车辆驶近时面向来车、起身微笑，按规定做迎送手势。"),
            ("SRV-02", "严格按收费操作程序唱收唱付，票款当面点清，做到准确无误。"),
            ("SRV-03", "单车收费操作时间符合规定，车道不因人为原因造成拥堵。"),
            ("SRV-04", "对问路、求助的司乘人员热情解答，提供饮水、急救药品等便民服务。"),
            ("SRV-05", "当班期间坚守岗位，不脱岗、串岗、睡岗，不做与工作无关的事。"),
        ],
    ),
    (
        "language",
        "文明用语规范",
        "使用普通话和文明用语，杜绝服务忌语。",
        [
            ("LNG-01", "使用普通话服务，主动使用“您好”“请”“谢谢”“请慢走”等文明用语。"),
            ("LNG-02", "解释问题耐心细致、语气平和，不得使用服务忌语或讽刺、挖苦司乘人员。"),
            ("LNG-03", "遇司乘人员情绪激动时不得顶撞、争吵，按程序报告当班负责人处理。"),
            ("LNG-04", "接听投诉、咨询电话时先问好、报单位名称，认真记录，不得推诿。"),
        ],
    ),
]

# Not in the plan: a realistic default for the station to confirm or replace.
PROHIBITIONS = [
    "不准对司乘人员态度生硬、刁难、推诿或与其发生争吵。",
    "不准多收、少收、不收或擅自减免车辆通行费。",
    "不准私自放行车辆，不准利用职务之便为亲友车辆免费通行。",
    "不准收费不给票据，不准重复使用或私自截留、倒卖票据。",
    "不准挪用、截留、侵占通行费款，不准私设小金库。",
    "不准当班期间脱岗、串岗、睡岗或玩手机等做与工作无关的事。",
    "不准班前、当班期间饮酒，不准酒后上岗。",
    "不准接受司乘人员馈赠，不准索要、收受财物。",
    "不准泄露收费数据、监控资料等工作秘密，不准擅自删改收费记录。",
    "不准弄虚作假，不准隐瞒不报收费异常、投诉和安全事故。",
]


def seed(apps, schema_editor):
    ServiceCategory = apps.get_model("inspections", "ServiceCategory")
    ServiceProvision = apps.get_model("inspections", "ServiceProvision")
    Prohibition = apps.get_model("inspections", "Prohibition")
    for order, (code, name, description, provisions) in enumerate(CATEGORIES, start=1):
        category, _ = ServiceCategory.objects.get_or_create(
            code=code, defaults={"name": name, "description": description, "order": order}
        )
        for position, (provision_code, text) in enumerate(provisions, start=1):
            ServiceProvision.objects.get_or_create(
                code=provision_code, defaults={"category": category, "text": text, "order": position}
            )
    for number, text in enumerate(PROHIBITIONS, start=1):
        Prohibition.objects.get_or_create(number=number, defaults={"text": text, "is_default_placeholder": True})


class Migration(migrations.Migration):
    dependencies = [("inspections", "0001_initial")]

    # Reversing keeps the rows: penalties may cite them, and they are the station's data now.
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
