"""Files as a Chinese shop's systems export them: their own headers, their own column order,
GB18030 CSV (a Chinese Excel's "CSV") and Excel workbooks."""

from __future__ import annotations

import io
from pathlib import Path

SUPPLIER_ROWS = [
    ["供应商名称", "供应商编码", "退货地址", "联系人", "电话", "退货条款", "手续费", "最低索赔金额"],
    ["华为终端有限公司", "SUP-HW", "广东省东莞市松山湖华为基地", "王经理", "0769-12345678", "按成本退款", "", "50.00"],
    ["小米通讯技术有限公司", "SUP-MI", "北京市海淀区小米科技园", "李娜", "010-88886666", "扣手续费", "5.00", "20.00"],
]

CATEGORY_ROWS = [
    ["类别编码", "名称", "英文名称", "退货天数", "可退货"],
    ["phones", "手机", "Phones", "15", "是"],
    ["cards", "储值卡", "Stored-value cards", "", "否"],
]

# "货品ID" is no header the guess knows: the first import maps it by hand and saves the profile.
PRODUCT_ROWS = [
    ["售价", "货品ID", "商品名称", "条码", "类别", "供应商", "可退货", "序列号管理", "英文名称"],
    ["999.00", "HW-FB5", "华为 FreeBuds 5 耳机", "6941487233335;6941487233342", "电子产品", "SUP-HW", "是", "否",
     "Huawei FreeBuds 5"],
    ["2999.00", "MI-14", "小米14 手机", "6934177700011", "手机", "小米通讯技术有限公司", "是", "否", "Xiaomi 14"],
    ["199.00", "MI-RC3", "小米电饭煲", "6934177700028", "家居厨房", "SUP-MI", "是", "否", ""],
    ["100.00", "GC-100", "储值卡 100 元", "", "储值卡", "", "否", "否", "Gift card 100"],
]

CUSTOMER_ROWS = [
    ["会员号", "姓名", "手机号", "收货地址", "邮箱"],
    ["M-0001", "李伟", "138 0013 8000", "上海市黄浦区南京东路1号", "liwei@example.cn"],
    ["M-0002", "王芳", "139-0000-1234", "北京市朝阳区建国路88号", ""],
]

ORDER_ROWS = [
    ["订单号", "下单时间", "渠道", "会员号", "支付方式", "行号", "商品编码", "数量", "单价", "实付", "税额"],
    ["SO-9001", "2026-11-20 10:15", "store", "M-0001", "alipay", "1", "HW-FB5", "1", "999.00", "999.00", "114.93"],
    ["SO-9001", "2026-11-20 10:15", "store", "M-0001", "alipay", "2", "MI-RC3", "1", "199.00", "199.00", "22.89"],
    ["SO-9002", "2026-11-21 16:40", "store", "M-0002", "wechat_pay", "1", "MI-14", "1", "2999.00", "2999.00", "345.02"],
    ["SO-9002", "2026-11-21 16:40", "store", "M-0002", "wechat_pay", "2", "GC-100", "1", "100.00", "100.00", "0"],
]


def csv_bytes(rows: list[list[str]], encoding: str = "gb18030") -> bytes:
    text = "\r\n".join(",".join(f'"{c}"' if "," in c else c for c in row) for row in rows) + "\r\n"
    return text.encode(encoding)


def xlsx_bytes(rows: list[list[str]], title: str = "商品资料") -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append([float(c) if c.replace(".", "", 1).isdigit() and "." in c else c for c in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def write_shop_files(folder: Path) -> dict[str, Path]:
    """The shop's files: GB18030 CSV, a workbook, a UTF-8 CSV with byte-order mark."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        "suppliers": folder / "供应商.csv",
        "categories": folder / "类别.csv",
        "products": folder / "商品资料.xlsx",
        "customers": folder / "会员.csv",
        "orders": folder / "销售订单.csv",
    }
    files["suppliers"].write_bytes(csv_bytes(SUPPLIER_ROWS))
    files["categories"].write_bytes(csv_bytes(CATEGORY_ROWS))
    files["products"].write_bytes(xlsx_bytes(PRODUCT_ROWS))
    files["customers"].write_bytes(b"\xef\xbb\xbf" + csv_bytes(CUSTOMER_ROWS, "utf-8"))
    files["orders"].write_bytes(csv_bytes(ORDER_ROWS))
    return files
