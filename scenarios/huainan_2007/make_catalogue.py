"""Write items.csv, the item catalogue of the Huainan 2007 baseline (synthetic).

Run from anywhere:  python scenarios/huainan_2007/make_catalogue.py [--check]

The catalogue below lists every item by hand (name, route template, relative volume,
group, tags); this script fills in the numbers deterministically (numpy Generator, fixed
seed) and checks the constraints taken from the 2007 report:

* 214 items, 186 commitment + 28 on-site, in the 32 departments of baseline.toml;
* ``compressed_36``: 36 commitment items whose committed limits sum to 201 working days;
* ``chief_rep_46``: the 46 items of the construction, health and land windows, committed
  limits averaging 17.7 working days (sum 814);
* ``planning_onsite_5`` (5), ``enterprise_registration`` (4), ``district_candidate`` (66).

Committed limits are set from a *timing bound* of each item's route: the longest elapsed
working days over a grid of acceptance times (every weekday, morning to closing) when
every work step takes its mean + 1.5 sd plus an hour of queueing and every delay its
maximum, with couriers, sign-off rounds and meetings on the department's timetable from
baseline.toml (Monday-Friday, no holidays, no congestion beyond the hour). A committed limit
is at least one day above its bound, so pre-reform limits are met with slack.
``--check`` only prints the tables and does not write.

Only the standard library and numpy are used; baseline.toml is read with tomllib.
"""

from __future__ import annotations

import csv
import math
import sys
import tomllib
from pathlib import Path

import numpy as np

from simhall.scenario.catalogue import CSV_COLUMNS

HERE = Path(__file__).resolve().parent
SEED = 2007
HALL = "hall"

# Relative volume classes (weights within a department).
W = {"X": 30.0, "H": 10.0, "M": 3.0, "L": 1.0, "R": 0.3}

# New applicants per working day by department (before weekday factors). Invented; see README.
DEPT_DEMAND = {
    "jianwei": 20,
    "weisheng": 18,
    "guotu": 15,
    "nongwei": 10,
    "gongshang": 75,
    "guihua": 12,
    "renfang": 4,
    "fangchan": 75,
    "shirong": 9,
    "zhijian": 35,
    "guoshui": 95,
    "dishui": 100,
    "gongan": 95,
    "jiaotong": 55,
    "huanbao": 8,
    "minzheng": 45,
    "laodong": 88,
    "jisheng": 62,
    "jiaoyu": 12,
    "wenhua": 8,
    "yaojian": 10,
    "linye": 8,
    "shuili": 8,
    "shangwu": 8,
    "caizheng": 65,
    "wujia": 10,
    "fagai": 5,
    "weishengjiandu": 12,
    "xiaofang": 6,
    "qixiang": 6,
    "yancao": 10,
    "wenguangxin": 4,
}

# (name, route or "O" for on-site, volume class, flags, group, statutory override)
# flags: C = compressed_36, D = district_candidate, E = enterprise_registration,
#        P = planning_onsite_5
CATALOGUE: dict[str, list[tuple]] = {
    "jianwei": [
        ("建筑工程施工许可证核发", "construction_parallel", "M", "", "complex", None),
        ("建设工程施工图设计文件审查备案", "standard_meeting", "M", "", None, None),
        ("建设工程竣工验收备案", "inspection_meeting", "M", "", None, None),
        ("建设工程招标文件备案", "standard", "M", "", None, None),
        ("建筑业企业资质核准(三级)", "collective", "L", "", "complex", None),
        ("工程监理企业资质核准(丙级)", "collective", "L", "", "complex", None),
        ("建设工程质量监督注册", "inspection", "M", "", None, None),
        ("建设工程安全监督登记", "inspection", "M", "", None, None),
        ("建筑施工企业安全生产许可证初审", "standard_meeting", "L", "", None, None),
        ("预拌商品混凝土企业资质核准", "collective", "R", "", "complex", None),
        ("建设工程监理合同备案", "simple", "L", "", None, None),
        ("民用建筑节能设计审查备案", "standard", "L", "", None, None),
        ("新型墙体材料专项基金核定", "simple", "M", "", None, None),
        ("建设工程勘察设计合同备案", "simple", "M", "", None, None),
        ("外埠建筑企业进淮施工备案", "simple", "L", "", None, None),
        ("建设工程施工合同备案", "simple", "M", "", None, None),
    ],
    "weisheng": [
        ("医疗机构设置审批", "inspection", "L", "", "complex", None),
        ("医疗机构执业登记", "inspection", "L", "D", "complex", None),
        ("医疗机构执业许可证校验", "standard", "M", "D", None, None),
        ("医师执业注册", "standard", "M", "D", None, None),
        ("护士执业注册", "standard", "M", "D", None, None),
        ("母婴保健技术服务执业许可", "inspection", "R", "D", None, None),
        ("放射诊疗许可", "inspection", "R", "", "complex", None),
        ("公共场所卫生许可证核发", "inspection", "H", "D", None, None),
        ("食品卫生许可证核发", "inspection", "H", "D", None, None),
        ("生活饮用水供水单位卫生许可", "inspection", "R", "", None, None),
        ("消毒产品生产企业卫生许可", "inspection", "R", "", None, None),
        ("从业人员健康证明核发", "simple", "H", "D", None, None),
        ("医师资格考试报名资格审核", "simple", "L", "", None, None),
        ("乡村医生执业注册", "standard", "L", "D", None, None),
        ("医疗广告审查", "standard", "R", "", None, None),
    ],
    "guotu": [
        ("建设项目用地预审", "standard_meeting", "L", "", "complex", None),
        ("建设用地审批(农用地转用、土地征收)", "land_notice", "L", "", "complex", 60),
        ("国有土地使用权出让(协议)审核", "land_notice", "L", "", "complex", None),
        ("国有土地使用权划拨审批", "land_notice", "L", "", "complex", None),
        ("国有土地使用权转让、出租审批", "standard", "M", "D", None, None),
        ("土地初始登记", "land_notice", "M", "D", None, None),
        ("土地变更登记", "standard", "M", "D", None, None),
        ("土地抵押登记", "simple", "M", "D", None, None),
        ("国有土地使用证补换证", "simple", "L", "D", None, None),
        ("集体土地使用权登记", "standard", "L", "D", None, None),
        ("临时用地审批", "inspection_meeting", "L", "D", None, None),
        ("采矿权登记(新立、延续)", "collective", "R", "", "complex", None),
        ("探矿权登记", "collective", "R", "", "complex", None),
        ("地质灾害危险性评估备案", "simple", "R", "", None, None),
        ("土地权属证明查询", "simple", "M", "D", None, None),
    ],
    "nongwei": [
        ("农药经营许可证核发", "inspection", "M", "D", None, None),
        ("农作物种子经营许可证核发", "inspection", "M", "D", None, None),
        ("兽药经营许可证核发", "inspection", "L", "D", None, None),
        ("动物防疫条件合格证核发", "inspection", "L", "D", None, None),
        ("拖拉机登记及驾驶证核发", "simple", "M", "D", None, None),
        ("饲料添加剂预混合饲料生产许可初审", "standard", "R", "", None, None),
        ("肥料登记备案", "simple", "R", "", None, None),
    ],
    "gongshang": [
        ("企业名称预先核准", "O", "X", "D", "counter", None),
        ("企业登记档案查询", "O", "H", "D", "counter", None),
        ("企业法人营业执照核发(设立登记)", "quick_signoff", "H", "DE", None, 15),
        ("企业变更登记", "quick_signoff", "H", "D", None, 15),
        ("企业注销登记", "quick_signoff", "M", "D", None, 15),
        ("个体工商户开业登记", "quick", "H", "D", None, 15),
        ("个人独资企业、合伙企业登记", "quick_signoff", "L", "D", None, 15),
        ("外商投资企业登记", "standard", "L", "", "complex", None),
        ("企业年度检验", "quick", "M", "D", None, None),
        ("动产抵押登记", "simple", "L", "", None, None),
        ("广告经营许可证核发", "standard", "R", "", None, None),
    ],
    "guihua": [
        ("建设项目选址意见书核发", "planning_review", "L", "", "complex", None),
        ("建设用地规划许可证核发", "planning_review", "L", "", "complex", None),
        ("建设工程规划许可证核发", "planning_review", "M", "", "complex", None),
        ("建设工程规划验线", "simple", "M", "P", None, None),
        ("建设工程规划核实(竣工验收)", "inspection", "M", "", None, None),
        ("城市居民私有住房翻建规划许可", "simple", "L", "P", None, None),
        ("临时建设工程规划许可", "simple", "L", "P", None, None),
        ("建筑物外立面改造及户外广告规划审批", "simple", "L", "P", None, None),
        ("规划红线图及地形图提供", "simple", "M", "P", None, None),
    ],
    "renfang": [
        ("结合民用建筑修建防空地下室审批", "collective", "M", "", "complex", None),
        ("防空地下室易地建设审批", "standard_meeting", "M", "", None, None),
        ("人防工程竣工验收备案", "inspection", "L", "", None, None),
        ("人防工程施工图审查", "standard", "L", "", None, None),
        ("人民防空警报设施拆除审批", "standard", "R", "", None, None),
    ],
    "fangchan": [
        ("房地产权属档案查询", "O", "X", "", "counter", None),
        ("商品房买卖合同备案", "O", "H", "", "counter", None),
        ("房屋所有权转移登记", "quick_signoff", "H", "C", None, 30),
        ("房屋所有权初始登记", "standard", "M", "C", None, 30),
        ("房屋抵押登记", "quick_signoff", "H", "C", None, 30),
        ("商品房预售许可证核发", "inspection", "L", "", None, None),
        ("城市房屋拆迁许可证核发", "standard", "R", "", "complex", None),
        ("房地产开发企业资质核定(三、四级)", "standard", "R", "", None, None),
        ("物业服务企业资质核定(三级)", "standard", "R", "", None, None),
    ],
    "shirong": [
        ("临时占用城市道路审批", "simple", "M", "C", None, None),
        ("户外广告设置审批", "standard", "M", "C", None, None),
        ("城市建筑垃圾处置核准", "simple", "M", "", None, None),
        ("城市道路挖掘审批", "standard", "L", "", None, None),
        ("大型户外活动临时设点审批", "simple", "L", "", None, None),
        ("临时占用城市绿地审批", "standard", "R", "", None, None),
    ],
    "zhijian": [
        ("组织机构代码证年检", "O", "H", "", "counter", None),
        ("组织机构代码证核发", "quick", "M", "E", None, None),
        ("特种设备使用登记", "simple", "M", "C", None, None),
        ("计量器具强制检定受理", "simple", "M", "C", None, None),
        ("工业产品生产许可证初审", "inspection", "R", "", None, None),
        ("计量标准考核", "inspection", "R", "", None, None),
    ],
    "guoshui": [
        ("增值税专用发票领购", "O", "X", "", "counter", None),
        ("纳税申报受理(国税)", "O", "X", "", "counter", None),
        ("税务登记证验证换证(国税)", "O", "L", "", "counter", None),
        ("税务登记证核发(国税)", "quick_signoff", "H", "E", None, 30),
        ("增值税一般纳税人资格认定", "simple", "M", "C", None, None),
        ("发票领购资格审批(国税)", "quick_signoff", "M", "C", None, None),
        ("减免税审批(国税)", "standard", "L", "", None, None),
    ],
    "dishui": [
        ("纳税申报受理(地税)", "O", "X", "D", "counter", None),
        ("发票发售(地税)", "O", "X", "D", "counter", None),
        ("个人所得税完税证明开具", "O", "H", "D", "counter", None),
        ("税务登记证核发(地税)", "quick_signoff", "M", "DE", None, 30),
        ("二手房交易税收核定征收", "quick_signoff", "H", "CD", None, None),
        ("减免税审批(地税)", "standard", "L", "CD", None, None),
        ("发票领购资格审批(地税)", "quick_signoff", "L", "CD", None, None),
        ("外出经营活动税收管理证明开具", "quick", "L", "D", None, None),
    ],
    "gongan": [
        ("居民户口簿补领换领", "O", "H", "", "counter", None),
        ("暂住证办理", "O", "H", "", "counter", None),
        ("往来港澳通行证再次签注", "O", "H", "", "counter", None),
        ("居民身份证申领", "production", "H", "", None, 60),
        ("普通护照签发", "production", "M", "C", None, 15),
        ("往来港澳通行证签发", "production", "M", "C", None, 15),
        ("户口迁入审批", "quick_signoff", "H", "C", None, None),
        ("户口登记项目变更更正", "quick_signoff", "M", "", None, None),
        ("旅馆业特种行业许可证核发", "inspection", "R", "", None, None),
    ],
    "jiaotong": [
        ("交通规费征收", "O", "X", "", "counter", None),
        ("道路运输证年审", "O", "M", "", "counter", None),
        ("道路货物运输经营许可", "simple", "M", "C", None, None),
        ("道路旅客运输经营许可", "standard", "L", "C", None, None),
        ("机动车维修经营许可", "inspection", "L", "", None, None),
        ("机动车驾驶员培训经营许可", "inspection", "R", "", None, None),
        ("出租汽车营运证核发", "simple", "L", "", None, None),
    ],
    "huanbao": [
        ("建设项目环境影响评价文件审批", "eia_review", "M", "", "complex", 60),
        ("建设项目竣工环境保护验收", "inspection_meeting", "L", "", None, 30),
        ("排放污染物许可证核发", "inspection", "L", "", None, None),
        ("排污费核定", "simple", "M", "C", None, None),
        ("危险废物经营许可初审", "inspection_meeting", "R", "", "complex", None),
        ("建设项目环境影响登记表备案", "simple", "M", "C", None, None),
    ],
    "minzheng": [
        ("婚姻登记", "O", "X", "D", "counter", None),
        ("社会团体成立登记", "standard", "L", "CD", None, None),
        ("民办非企业单位登记", "standard", "L", "CD", None, None),
        ("城市居民最低生活保障审批", "inspection", "M", "D", None, None),
        ("收养登记", "inspection", "R", "D", None, None),
        ("地名命名更名审批", "standard", "R", "", None, None),
        ("社会团体变更登记", "simple", "L", "D", None, None),
    ],
    "laodong": [
        ("社会保险登记及缴费核定", "O", "X", "D", "counter", None),
        ("养老保险卡发放", "O", "H", "D", "counter", None),
        ("基本养老保险金(退休)审批", "standard", "H", "CD", None, None),
        ("失业保险金申领核定", "quick_signoff", "M", "CD", None, None),
        ("劳动合同鉴证", "quick", "M", "CD", None, None),
        ("职业介绍机构设立许可", "standard", "R", "D", None, None),
        ("工伤认定", "inspection", "L", "D", None, 60),
        ("企业实行不定时工作制和综合计算工时审批", "standard", "L", "", None, None),
    ],
    "jisheng": [
        ("流动人口婚育证明", "O", "H", "D", "counter", None),
        ("独生子女父母光荣证", "O", "H", "D", "counter", None),
        ("生育服务证(一孩)办理", "quick_signoff", "H", "D", None, None),
        ("再生育(二孩)审批", "standard", "M", "CD", None, None),
        ("计划生育手术并发症鉴定受理", "standard", "R", "D", None, None),
        ("出生证明办理", "quick_signoff", "M", "CD", None, None),
    ],
    "jiaoyu": [
        ("民办学校设立审批", "inspection", "R", "D", "complex", None),
        ("教师资格认定", "simple", "M", "CD", None, None),
        ("学籍及学历证明", "quick", "M", "CD", None, None),
        ("中小学生转学审批", "simple", "L", "D", None, None),
        ("幼儿园设立审批", "inspection", "R", "D", None, None),
    ],
    "wenhua": [
        ("娱乐场所经营许可证核发", "inspection", "L", "C", None, None),
        ("互联网上网服务营业场所经营许可", "inspection", "L", "", None, None),
        ("音像制品零售经营许可", "simple", "L", "C", None, None),
        ("营业性演出审批", "simple", "L", "", None, None),
        ("文物保护单位建设控制地带内建设审批", "standard", "R", "", None, None),
    ],
    "yaojian": [
        ("药品零售企业许可证核发", "inspection", "L", "", None, 30),
        ("药品经营许可证变更", "simple", "L", "C", None, None),
        ("医疗器械经营企业许可", "inspection", "L", "", None, 30),
        ("医疗机构制剂配制许可初审", "standard", "R", "", None, None),
        ("药品经营质量管理规范(GSP)认证初审", "inspection", "R", "", None, None),
        ("麻醉药品和精神药品购用印鉴卡核发", "simple", "R", "", None, None),
    ],
    "linye": [
        ("木材运输证核发", "O", "M", "", "counter", None),
        ("林木采伐许可证核发", "inspection", "L", "", None, None),
        ("占用征用林地审核", "standard", "R", "", None, None),
        ("野生动物驯养繁殖许可", "standard", "R", "", None, None),
    ],
    "shuili": [
        ("水资源费征收", "O", "L", "D", "counter", None),
        ("取水许可审批", "inspection", "L", "D", None, 45),
        ("河道管理范围内建设项目审批", "standard", "R", "D", None, None),
        ("生产建设项目水土保持方案审批", "standard", "R", "D", None, None),
        ("入河排污口设置审批", "standard", "R", "", None, None),
    ],
    "shangwu": [
        ("酒类流通备案登记", "O", "L", "", "counter", None),
        ("外商投资企业设立审批", "standard", "R", "", "complex", None),
        ("对外贸易经营者备案登记", "quick", "L", "", None, None),
        ("成品油零售经营资格初审", "inspection", "R", "", None, None),
    ],
    "caizheng": [
        ("非税收入收缴", "O", "X", "", "counter", None),
        ("会计从业资格证书核发", "simple", "M", "C", None, None),
        ("代理记账许可", "standard", "R", "", None, None),
    ],
    "wujia": [
        ("收费许可证年审", "O", "H", "", "counter", None),
        ("收费许可证核发", "simple", "L", "C", None, None),
        ("涉案财产价格鉴定受理", "standard", "L", "", None, None),
    ],
    "fagai": [
        ("企业投资项目核准", "collective", "L", "", "complex", None),
        ("企业投资项目备案", "simple", "M", "C", None, None),
        ("政府投资项目可行性研究报告审批", "collective", "R", "", "complex", None),
        ("固定资产投资项目节能评估审查", "standard_meeting", "R", "", None, None),
        ("粮食收购许可证核发", "simple", "R", "", None, None),
    ],
    "weishengjiandu": [
        ("建设项目预防性卫生审查", "inspection", "L", "", None, None),
        ("公共场所卫生检测受理", "simple", "M", "", None, None),
        ("生活饮用水卫生监测受理", "simple", "L", "", None, None),
        ("从业人员卫生知识培训合格证核发", "quick", "M", "", None, None),
    ],
    "xiaofang": [
        ("建筑工程消防设计审核", "standard", "M", "", None, None),
        ("建筑工程消防验收", "inspection", "M", "", None, None),
        ("公众聚集场所投入使用前消防安全检查", "inspection", "L", "C", None, None),
        ("大型群众性活动消防安全检查", "simple", "R", "", None, None),
    ],
    "qixiang": [
        ("气象资料证明(天气证明)", "O", "L", "", "counter", None),
        ("防雷装置设计审核", "standard", "L", "", None, None),
        ("防雷装置竣工验收", "inspection", "L", "", None, None),
    ],
    "yancao": [
        ("烟草专卖零售许可证延续", "O", "H", "", "counter", None),
        ("烟草专卖零售许可证核发", "inspection", "M", "C", None, None),
        ("烟草专卖零售许可证变更、停业", "simple", "L", "", None, None),
    ],
    "wenguangxin": [
        ("有线电视站及卫星地面接收设施设置审批", "standard", "R", "", None, None),
        ("出版物零售单位设立审批", "simple", "L", "", None, None),
        ("印刷经营许可证核发", "inspection", "L", "", None, None),
    ],
}

CHIEF_REP_46 = ("jianwei", "weisheng", "guotu")
CHIEF_REP_4 = ("nongwei", "gongshang", "guihua", "renfang")
COMPRESSED_SUM, CHIEF_REP_46_SUM = 201, 814
NICE = (1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 15, 20, 25, 30, 40, 45, 60)
STATUTORY = (15, 20, 30, 45, 60, 90)
COLUMNS = CSV_COLUMNS  # the catalogue's columns, as simhall reads them

# ------------------------------------------------------------------ timing bound
OPEN = ((510, 720), (870, 1050))  # 08:30-12:00, 14:30-17:30 (as in baseline.toml)
DAY_WORK = sum(b - a for a, b in OPEN)
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def hm(s: str) -> int:
    h, m = s.split(":")
    return int(h) * 60 + int(m)


def working(day: int) -> bool:
    return day % 7 < 5  # day 0 is a Monday; holidays ignored


def ordinal(day: int) -> int:
    return sum(1 for d in range(day) if working(d))


def next_open(t: float) -> float:
    d, m = int(t // 1440), t % 1440
    while True:
        if working(d):
            for a, b in OPEN:
                if m < b:
                    return d * 1440 + max(m, a)
        d, m = d + 1, 0.0


def advance(t: float, work: float) -> float:
    """Wall time after ``work`` working minutes from ``t``."""
    t = next_open(t)
    while True:
        d, m = int(t // 1440), t % 1440
        b = next(b for a, b in OPEN if a <= m < b)
        if work <= b - m:
            return t + work
        work -= b - m
        t = next_open(d * 1440 + b)


def next_at(t: float, weekdays: set[int], times: list[int]) -> float:
    d = int(t // 1440)
    for day in range(d, d + 30):
        if working(day) and day % 7 in weekdays:
            for tm in sorted(times):
                if day * 1440 + tm >= t:
                    return day * 1440 + tm
    raise ValueError("no session")


def dist_high(dist: dict, unit: str) -> float:
    """A high quantile-ish value of a distribution spec (p90 for continuous ones)."""
    kind = dist["dist"]
    if kind == "fixed":
        return dist[f"value_{unit}"]
    if kind in ("uniform", "uniform_int"):
        return dist[f"high_{unit}"]
    if kind in ("lognormal", "gamma"):
        return dist[f"mean_{unit}"] + 1.5 * dist[f"sd_{unit}"]
    if kind == "exponential":
        return 2.3 * dist[f"mean_{unit}"]
    if kind == "triangular":
        return dist[f"high_{unit}"]
    raise ValueError(kind)


class Timing:
    """Deterministic walk of a route on the departments' timetables."""

    def __init__(self, depts: dict[str, dict]) -> None:
        self.depts = depts

    def loc(self, dept: str) -> str:
        return HALL if self.depts[dept].get("back_office", "hall") == "hall" else dept

    def courier(self, t: float, dept: str) -> float:
        c = self.depts[dept]["courier"]
        dep = next_at(t, set(range(5)), [hm(x) for x in c["times"]])
        return dep + c["travel_min"]

    def transfer(self, t: float, origin: str, target: str) -> float:
        if origin != HALL:
            t = self.courier(t, origin)
        if target != HALL:
            t = self.courier(t, target)
        return t

    def session(self, t: float, dept: str, kind: str) -> float:
        s = self.depts[dept][kind]
        days = {WEEKDAYS.index(w) for w in s["weekdays"]}
        return next_at(t, days, [hm(x) for x in s["times"]]) + s.get("duration_min", 0)

    def steps(self, t, steps, item_dept, location, suspended):
        for s in steps:
            if s.get("probability", 1.0) < 0.1:
                continue
            dept = s.get("department", item_dept)
            ready = t
            kind = s["kind"]
            if kind in ("work", "signoff", "meeting"):
                target = self.loc(dept)
                if target != location:
                    t = self.transfer(t, location, target)
                    location = target
                ready = t
                if kind == "work":
                    t = advance(t, dist_high(s["duration"], "min") + 60)  # + 1 h queueing
                else:
                    t = self.session(t, dept, kind)
            elif kind == "delay":
                t = advance(t, dist_high(s["days"], "days") * DAY_WORK)
            else:  # parallel
                ends = []
                for branch in s["branches"]:
                    end, loc = self.steps(t, branch, item_dept, location, suspended)
                    ends.append(self.transfer(end, loc, HALL))
                t, location = max(ends), HALL
            if not s.get("counts", True):
                suspended.append((ready, t))
        return t, location

    def bound(self, route: list[dict], dept: str) -> int:
        worst = 0
        for day in range(14):
            if not working(day):
                continue
            for tm in (515, 600, 690, 719, 875, 960, 1040, 1049):
                t0 = day * 1440 + tm
                suspended: list[tuple[float, float]] = []
                t, loc = self.steps(t0, route, dept, HALL, suspended)
                t = self.transfer(t, loc, HALL)
                elapsed = ordinal(int(t // 1440)) - ordinal(day)
                susp = sum(ordinal(int(b // 1440)) - ordinal(int(a // 1440)) for a, b in suspended)
                worst = max(worst, elapsed - susp)
        return worst


# ------------------------------------------------------------------ build
def lookup(key, item_group, dept, cfg):
    if item_group and key in cfg.get("groups", {}).get(item_group, {}):
        return cfg["groups"][item_group][key]
    if key in dept.get("item_defaults", {}):
        return dept["item_defaults"][key]
    return cfg["defaults"][key]


def nice_up(x: int) -> int:
    return next(v for v in NICE if v >= x)


def adjust_sum(rows: list[dict], target: int, floor: dict[str, int], rng) -> None:
    """Change committed_days by +-1 steps, spread over the rows, to make their sum ``target``."""
    order = [rows[i] for i in rng.permutation(len(rows))]
    diff = target - sum(r["committed_days"] for r in rows)
    step = 1 if diff > 0 else -1
    while diff:
        moved = False
        for r in order:
            if diff == 0:
                break
            new = r["committed_days"] + step
            if step < 0 and new < floor[r["id"]]:
                continue
            r["committed_days"] = new
            diff -= step
            moved = True
        if not moved:
            raise SystemExit(f"cannot reach sum {target}: bounds too high")


def build() -> tuple[list[dict], dict]:
    cfg = tomllib.loads((HERE / "baseline.toml").read_text(encoding="utf-8"))
    depts = {d["id"]: d for d in cfg["departments"]}
    routes = cfg["routes"]
    assert list(CATALOGUE) == list(depts), "catalogue and baseline.toml departments differ"
    timing = Timing(depts)
    rng = np.random.default_rng(SEED)

    rows: list[dict] = []
    bounds: dict[str, int] = {}
    for dept_id, entries in CATALOGUE.items():
        weights = np.array([W[e[2]] for e in entries]) * rng.lognormal(0.0, 0.25, len(entries))
        demand = DEPT_DEMAND[dept_id] * weights / weights.sum()
        for n, ((name, route, _w, flags, group, stat), dem) in enumerate(
            zip(entries, demand, strict=True), start=1
        ):
            item_id = f"{dept_id}-{n:02d}"
            onsite = route == "O"
            tags = []
            if dept_id in CHIEF_REP_46:
                tags.append("chief_rep_46")
            if dept_id in CHIEF_REP_4:
                tags.append("chief_rep_4")
            for flag, tag in (
                ("C", "compressed_36"),
                ("P", "planning_onsite_5"),
                ("E", "enterprise_registration"),
                ("D", "district_candidate"),
            ):
                if flag in flags:
                    tags.append(tag)
            row = {
                "id": item_id,
                "name": name,
                "department": dept_id,
                "kind": "onsite" if onsite else "commitment",
                "daily_demand": round(float(dem), 2),
                "group": group or "",
                "route": "" if onsite else route,
                "incomplete_prob": "",
                "tags": ";".join(tags),
                "_stat": stat,
            }
            if onsite:
                row["committed_days"], row["statutory_days"] = 0, ""
                bounds[item_id] = 0
            else:
                if dept_id in CHIEF_REP_46:
                    route = "cr_" + route  # two more approval steps (see baseline.toml)
                    row["route"] = route
                b = timing.bound(routes[route], dept_id)
                bounds[item_id] = b
                slack = int(rng.integers(0, 3)) + math.ceil(0.15 * b)
                row["committed_days"] = nice_up(b + 1 + slack)
            rows.append(row)

    # exact sums of the report's item sets (pre-reform committed limits)
    comp = [r for r in rows if "compressed_36" in r["tags"]]
    c46 = [r for r in rows if "chief_rep_46" in r["tags"]]
    floor = {r["id"]: bounds[r["id"]] + 1 for r in rows}  # keep a day above the bound
    adjust_sum(comp, COMPRESSED_SUM, floor, rng)
    adjust_sum(c46, CHIEF_REP_46_SUM, floor, rng)

    for r in rows:
        if r["kind"] == "onsite":
            continue
        stat = r.pop("_stat")
        if stat is None:
            stat = next(v for v in STATUTORY if v >= r["committed_days"])
            if stat == 15 or rng.random() < 0.2:  # most statutory limits are 20 days or more
                stat = STATUTORY[STATUTORY.index(stat) + 1]
        r["statutory_days"] = stat
    for r in rows:
        r.pop("_stat", None)
    return rows, {"cfg": cfg, "depts": depts, "routes": routes, "bounds": bounds}


# ------------------------------------------------------------------ checks
def check(rows: list[dict], ctx: dict) -> list[str]:
    cfg, depts, routes, bounds = ctx["cfg"], ctx["depts"], ctx["routes"], ctx["bounds"]
    out: list[str] = []

    def tagged(tag):
        return [r for r in rows if tag in r["tags"].split(";")]

    n_com = sum(r["kind"] == "commitment" for r in rows)
    assert len(rows) == 214 and n_com == 186, (len(rows), n_com)
    comp, c46 = tagged("compressed_36"), tagged("chief_rep_46")
    assert len(comp) == 36 and all(r["kind"] == "commitment" for r in comp)
    assert sum(r["committed_days"] for r in comp) == COMPRESSED_SUM
    assert len(c46) == 46 and all(r["kind"] == "commitment" for r in c46)
    assert sum(r["committed_days"] for r in c46) == CHIEF_REP_46_SUM
    assert len(tagged("planning_onsite_5")) == 5
    assert len(tagged("enterprise_registration")) == 4
    dc = tagged("district_candidate")
    assert len(dc) == 66 and len({r["department"] for r in dc}) == 10, (
        len(dc),
        len({r["department"] for r in dc}),
    )
    for r in rows:
        if r["kind"] == "commitment":
            assert r["committed_days"] > bounds[r["id"]], r
            assert r["statutory_days"] >= r["committed_days"], r
            route = routes[r["route"]]
            for s in route:
                if s["kind"] == "meeting":
                    assert "meeting" in depts[r["department"]], r
    out.append(f"items {len(rows)}: commitment {n_com}, onsite {len(rows) - n_com}")
    out.append(f"compressed_36: n={len(comp)} sum={sum(r['committed_days'] for r in comp)}")
    s46 = sum(r["committed_days"] for r in c46)
    out.append(f"chief_rep_46: n={len(c46)} sum={s46} mean={s46 / len(c46):.2f}")
    n_dc = len({r["department"] for r in dc})
    out.append(f"district_candidate: {len(dc)} items in {n_dc} departments")
    total = sum(r["daily_demand"] for r in rows)
    tickets = sum(
        r["daily_demand"] / (1 - lookup("incomplete_prob", r["group"], depts[r["department"]], cfg))
        for r in rows
    )
    out.append(
        f"daily demand {total:.1f} new applicants/working day, ~{tickets:.0f} tickets with returns"
    )

    # loads: windows (tickets x service) and section pools (commitment files x work minutes)
    win: dict[str, float] = {d: 0.0 for d in depts}
    sec: dict[tuple[str, str], float] = {}

    def work_load(steps, dept, dem):
        for s in steps:
            p = s.get("probability", 1.0)
            if s["kind"] == "work":
                key = (s.get("department", dept), s["pool"])
                sec[key] = sec.get(key, 0.0) + dem * p * s["duration"]["mean_min"]
            elif s["kind"] == "parallel":
                for b in s["branches"]:
                    work_load(b, dept, dem * p)

    for r in rows:
        d = depts[r["department"]]
        p = lookup("incomplete_prob", r["group"], d, cfg)
        ws = lookup("window_service", r["group"], d, cfg)["mean_min"]
        win[r["department"]] += r["daily_demand"] / (1 - p) * ws
        if r["kind"] == "commitment":
            work_load(routes[r["route"]], r["department"], r["daily_demand"])
    out.append("dept            demand  win_util  pool_util (offered load / capacity)")
    for d, dept in depts.items():
        dem = sum(r["daily_demand"] for r in rows if r["department"] == d)
        wu = win[d] / (dept["windows"] * DAY_WORK)
        pools = {
            pool: sec.get((d, pool), 0.0) / (staff * DAY_WORK)
            for pool, staff in dept["pools"].items()
        }
        flag = "  <-- high" if wu > 0.7 or max(pools.values()) > 0.7 else ""
        pu = " ".join(f"{k}={v:.2f}" for k, v in pools.items())
        out.append(f"{d:15s} {dem:6.1f}  {wu:8.2f}  {pu}{flag}")
    return out


def write(rows: list[dict]) -> None:
    with open(HERE / "items.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=COLUMNS, lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow({k: r[k] for k in COLUMNS})


if __name__ == "__main__":
    rows, ctx = build()
    print("\n".join(check(rows, ctx)))
    if "--check" not in sys.argv:
        write(rows)
        print(f"wrote {HERE / 'items.csv'}")
