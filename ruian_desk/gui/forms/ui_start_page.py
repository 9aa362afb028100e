# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'start_page.ui'
##
## Created by: Qt User Interface Compiler version 6.11.3
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import (QCoreApplication, QMetaObject, Qt)
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QListWidget, QPushButton,
    QSizePolicy, QSpacerItem, QVBoxLayout)

class Ui_StartPage(object):
    def setupUi(self, StartPage):
        if not StartPage.objectName():
            StartPage.setObjectName(u"StartPage")
        StartPage.resize(1200, 760)
        self.outerLayout = QVBoxLayout(StartPage)
        self.outerLayout.setSpacing(16)
        self.outerLayout.setObjectName(u"outerLayout")
        self.outerLayout.setContentsMargins(48, 36, 48, 28)
        self.titleLabel = QLabel(StartPage)
        self.titleLabel.setObjectName(u"titleLabel")

        self.outerLayout.addWidget(self.titleLabel)

        self.subtitleLabel = QLabel(StartPage)
        self.subtitleLabel.setObjectName(u"subtitleLabel")
        self.subtitleLabel.setWordWrap(True)

        self.outerLayout.addWidget(self.subtitleLabel)

        self.columns = QHBoxLayout()
        self.columns.setSpacing(36)
        self.columns.setObjectName(u"columns")
        self.actionsColumn = QVBoxLayout()
        self.actionsColumn.setSpacing(10)
        self.actionsColumn.setObjectName(u"actionsColumn")
        self.actionsLabel = QLabel(StartPage)
        self.actionsLabel.setObjectName(u"actionsLabel")

        self.actionsColumn.addWidget(self.actionsLabel)

        self.newReportButton = QPushButton(StartPage)
        self.newReportButton.setObjectName(u"newReportButton")

        self.actionsColumn.addWidget(self.newReportButton)

        self.fromPreviousButton = QPushButton(StartPage)
        self.fromPreviousButton.setObjectName(u"fromPreviousButton")

        self.actionsColumn.addWidget(self.fromPreviousButton)

        self.openButton = QPushButton(StartPage)
        self.openButton.setObjectName(u"openButton")

        self.actionsColumn.addWidget(self.openButton)

        self.sampleButton = QPushButton(StartPage)
        self.sampleButton.setObjectName(u"sampleButton")

        self.actionsColumn.addWidget(self.sampleButton)

        self.workspaceLabel = QLabel(StartPage)
        self.workspaceLabel.setObjectName(u"workspaceLabel")
        self.workspaceLabel.setWordWrap(True)
        self.workspaceLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.actionsColumn.addWidget(self.workspaceLabel)

        self.actionsSpacer = QSpacerItem(20, 40, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.actionsColumn.addItem(self.actionsSpacer)


        self.columns.addLayout(self.actionsColumn)

        self.reportsColumn = QVBoxLayout()
        self.reportsColumn.setObjectName(u"reportsColumn")
        self.reportsLabel = QLabel(StartPage)
        self.reportsLabel.setObjectName(u"reportsLabel")

        self.reportsColumn.addWidget(self.reportsLabel)

        self.reportList = QListWidget(StartPage)
        self.reportList.setObjectName(u"reportList")

        self.reportsColumn.addWidget(self.reportList)


        self.columns.addLayout(self.reportsColumn)

        self.recentColumn = QVBoxLayout()
        self.recentColumn.setObjectName(u"recentColumn")
        self.recentLabel = QLabel(StartPage)
        self.recentLabel.setObjectName(u"recentLabel")

        self.recentColumn.addWidget(self.recentLabel)

        self.recentList = QListWidget(StartPage)
        self.recentList.setObjectName(u"recentList")

        self.recentColumn.addWidget(self.recentList)


        self.columns.addLayout(self.recentColumn)


        self.outerLayout.addLayout(self.columns)

        self.footerLabel = QLabel(StartPage)
        self.footerLabel.setObjectName(u"footerLabel")
        self.footerLabel.setWordWrap(True)

        self.outerLayout.addWidget(self.footerLabel)

#if QT_CONFIG(shortcut)
        self.reportsLabel.setBuddy(self.reportList)
        self.recentLabel.setBuddy(self.recentList)
#endif // QT_CONFIG(shortcut)

        self.retranslateUi(StartPage)

        QMetaObject.connectSlotsByName(StartPage)
    # setupUi

    def retranslateUi(self, StartPage):
        self.titleLabel.setText(QCoreApplication.translate("StartPage", u"\u745e\u5b89\u5e74\u62a5\u52a9\u624b", None))
        self.subtitleLabel.setText(QCoreApplication.translate("StartPage", u"\u653f\u5e9c\u4fe1\u606f\u516c\u5f00\u5de5\u4f5c\u5e74\u5ea6\u62a5\u544a\uff1a\u586b\u62a5\u3001\u6c47\u603b\u3001\u5ba1\u6838\u3001\u5bfc\u51fa\u3002\u6bcf\u4e00\u5904\u4fee\u6539\u5373\u65f6\u4fdd\u5b58\uff0c\u65e0\u9700\u53e6\u884c\u201c\u4fdd\u5b58\u201d\u3002", None))
        self.actionsLabel.setText(QCoreApplication.translate("StartPage", u"\u5f00\u59cb", None))
        self.newReportButton.setText(QCoreApplication.translate("StartPage", u"\u65b0\u5efa\u5e74\u5ea6\u62a5\u544a\u2026", None))
#if QT_CONFIG(tooltip)
        self.newReportButton.setToolTip(QCoreApplication.translate("StartPage", u"\u9009\u62e9\u5355\u4f4d\u548c\u5e74\u5ea6\uff1b\u8868\u683c\u683c\u5f0f\u6309\u5e74\u5ea6\u81ea\u52a8\u786e\u5b9a\uff082019\u20142020\u5e74\u5ea6\uff1a60\u53f7\u6587\u683c\u5f0f\uff1b2021\u5e74\u5ea6\u8d77\uff1a30\u53f7\u6587\u683c\u5f0f\uff09", None))
#endif // QT_CONFIG(tooltip)
        self.fromPreviousButton.setText(QCoreApplication.translate("StartPage", u"\u4ee5\u4e0a\u5e74\u62a5\u544a\u4e3a\u57fa\u7840\u65b0\u5efa\u2026", None))
#if QT_CONFIG(tooltip)
        self.fromPreviousButton.setToolTip(QCoreApplication.translate("StartPage", u"\u590d\u5236\u4e0a\u5e74\u62a5\u544a\u7684\u7ed3\u6784\u548c\u6587\u5b57\u4f5c\u4e3a\u8349\u7a3f\uff0c\u4e0a\u5e74\u7ed3\u8f6c\u3001\u73b0\u884c\u6709\u6548\u4ef6\u6570\u7b49\u57fa\u6570\u81ea\u52a8\u5e26\u5165", None))
#endif // QT_CONFIG(tooltip)
        self.openButton.setText(QCoreApplication.translate("StartPage", u"\u6253\u5f00\u5de5\u4f5c\u533a\u2026", None))
        self.sampleButton.setText(QCoreApplication.translate("StartPage", u"\u6253\u5f00\u793a\u4f8b\uff08\u745e\u5b89\u5e02\u4eba\u6c11\u653f\u5e9c2019\u5e74\u62a5\uff09", None))
#if QT_CONFIG(tooltip)
        self.sampleButton.setToolTip(QCoreApplication.translate("StartPage", u"\u65b0\u5efa\u4e00\u4efd\u793a\u4f8b\u5de5\u4f5c\u533a\u526f\u672c\uff1a\u6b63\u6587\u53d6\u81ea\u745e\u5b89\u5e02\u4eba\u6c11\u653f\u5e9c2019\u5e74\u62a5\uff0c\u8868\u683c\u6570\u5b57\u4e3a\u793a\u4f8b\u6570\u636e", None))
#endif // QT_CONFIG(tooltip)
        self.workspaceLabel.setText("")
        self.reportsLabel.setText(QCoreApplication.translate("StartPage", u"\u672c\u5de5\u4f5c\u533a\u7684\u62a5\u544a(&B)", None))
#if QT_CONFIG(tooltip)
        self.reportList.setToolTip(QCoreApplication.translate("StartPage", u"\u56de\u8f66\u6216\u53cc\u51fb\u6253\u5f00\u62a5\u544a", None))
#endif // QT_CONFIG(tooltip)
        self.recentLabel.setText(QCoreApplication.translate("StartPage", u"\u6700\u8fd1\u6253\u5f00\u7684\u5de5\u4f5c\u533a(&R)", None))
#if QT_CONFIG(tooltip)
        self.recentList.setToolTip(QCoreApplication.translate("StartPage", u"\u56de\u8f66\u6216\u53cc\u51fb\u6253\u5f00", None))
#endif // QT_CONFIG(tooltip)
        self.footerLabel.setText(QCoreApplication.translate("StartPage", u"\u4f9d\u636e\u300a\u4e2d\u534e\u4eba\u6c11\u5171\u548c\u56fd\u653f\u5e9c\u4fe1\u606f\u516c\u5f00\u6761\u4f8b\u300b\u7b2c\u56db\u5341\u4e5d\u6761\u3001\u7b2c\u4e94\u5341\u6761\uff1a\u53bf\u7ea7\u4ee5\u4e0a\u4eba\u6c11\u653f\u5e9c\u90e8\u95e8\u4e8e\u6bcf\u5e741\u670831\u65e5\u524d\u63d0\u4ea4\u5e76\u516c\u5e03\u4e0a\u4e00\u5e74\u5ea6\u62a5\u544a\uff1b\u672c\u7ea7\u653f\u5e9c\u5e74\u5ea6\u62a5\u544a\u4e8e3\u670831\u65e5\u524d\u5411\u793e\u4f1a\u516c\u5e03\u3002", None))
        pass
    # retranslateUi

