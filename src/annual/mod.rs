//! The 政府信息公开工作年度报告 parser and checker.
