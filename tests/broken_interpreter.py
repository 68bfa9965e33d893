"""A table interpreter with a defect, registered through the plugin seam by a test."""


def recognise(table):
    return "broken" if table.title == "故障测试表" else None


def interpret(table, unit_mult):
    raise IndexError("list index out of range")
