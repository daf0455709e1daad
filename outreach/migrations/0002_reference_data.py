"""Seed the reference data every installation needs: equipment classes and categories."""

from django.db import migrations

# The eight classes of special equipment named by the Special Equipment Safety Law.
EQUIPMENT_CLASSES = [
    ("boiler", "锅炉", "Boilers"),
    ("pressure_vessel", "压力容器", "Pressure vessels"),
    ("pressure_piping", "压力管道", "Pressure piping"),
    ("elevator", "电梯", "Elevators"),
    ("lifting", "起重机械", "Lifting machinery"),
    ("ropeway", "客运索道", "Passenger ropeways"),
    ("amusement", "大型游乐设施", "Large amusement devices"),
    ("vehicle", "场(厂)内专用机动车辆", "Special in-plant motor vehicles"),
]

# Starting categories; administrators may rename, add or retire them.
FEEDBACK_CATEGORIES = [
    ("服务态度", "Service attitude"),
    ("服务效率", "Service efficiency"),
    ("检验能力与范围", "Inspection capability and scope"),
    ("技术指导(含问题设备后处理)", "Technical guidance (incl. follow-up on faulty equipment)"),
    ("作业人员培训", "Operator training"),
    ("收费", "Fees"),
    ("廉政作风", "Integrity and conduct"),
    ("沟通渠道", "Communication channels"),
    ("其他", "Other"),
]


def seed(apps, schema_editor):
    EquipmentClass = apps.get_model("outreach", "EquipmentClass")
    FeedbackCategory = apps.get_model("outreach", "FeedbackCategory")
    for order, (code, name, name_en) in enumerate(EQUIPMENT_CLASSES, start=1):
        EquipmentClass.objects.update_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "sort_order": order}
        )
    for order, (name, name_en) in enumerate(FEEDBACK_CATEGORIES, start=1):
        FeedbackCategory.objects.update_or_create(
            name=name, defaults={"name_en": name_en, "sort_order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("outreach", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
