"""The report pack (晨会, 周会商研判, 月度统计, 责任落实, 红色清单): Qt-free models, the Excel writer, the registry.

PDF is rendered by ui/reports/pdf.py (Qt's text layout and PDF writer) from the same models.
"""
