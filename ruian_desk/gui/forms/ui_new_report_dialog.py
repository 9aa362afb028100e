# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'new_report_dialog.ui'
##
## Created by: Qt User Interface Compiler version 6.11.3
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import (QCoreApplication, QMetaObject)
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialogButtonBox, QFormLayout,
    QLabel, QSizePolicy, QSpacerItem, QSpinBox,
    QVBoxLayout, QWidget)

class Ui_NewReportDialog(object):
    def setupUi(self, NewReportDialog):
        if not NewReportDialog.objectName():
            NewReportDialog.setObjectName(u"NewReportDialog")
        NewReportDialog.resize(560, 360)
        self.layout = QVBoxLayout(NewReportDialog)
        self.layout.setObjectName(u"layout")
        self.form = QFormLayout()
        self.form.setObjectName(u"form")
        self.unitLabel = QLabel(NewReportDialog)
        self.unitLabel.setObjectName(u"unitLabel")

        self.form.setWidget(0, QFormLayout.ItemRole.LabelRole, self.unitLabel)

        self.unitCombo = QComboBox(NewReportDialog)
        self.unitCombo.setObjectName(u"unitCombo")
        self.unitCombo.setEditable(True)

        self.form.setWidget(0, QFormLayout.ItemRole.FieldRole, self.unitCombo)

        self.roleLabel = QLabel(NewReportDialog)
        self.roleLabel.setObjectName(u"roleLabel")

        self.form.setWidget(1, QFormLayout.ItemRole.LabelRole, self.roleLabel)

        self.roleCombo = QComboBox(NewReportDialog)
        self.roleCombo.setObjectName(u"roleCombo")

        self.form.setWidget(1, QFormLayout.ItemRole.FieldRole, self.roleCombo)

        self.yearLabel = QLabel(NewReportDialog)
        self.yearLabel.setObjectName(u"yearLabel")

        self.form.setWidget(2, QFormLayout.ItemRole.LabelRole, self.yearLabel)

        self.yearSpin = QSpinBox(NewReportDialog)
        self.yearSpin.setObjectName(u"yearSpin")
        self.yearSpin.setMinimum(2019)
        self.yearSpin.setMaximum(2100)
        self.yearSpin.setValue(2025)

        self.form.setWidget(2, QFormLayout.ItemRole.FieldRole, self.yearSpin)

        self.formatCaption = QLabel(NewReportDialog)
        self.formatCaption.setObjectName(u"formatCaption")

        self.form.setWidget(3, QFormLayout.ItemRole.LabelRole, self.formatCaption)

        self.formatLabel = QLabel(NewReportDialog)
        self.formatLabel.setObjectName(u"formatLabel")
        self.formatLabel.setWordWrap(True)

        self.form.setWidget(3, QFormLayout.ItemRole.FieldRole, self.formatLabel)

        self.mainOrganCheck = QCheckBox(NewReportDialog)
        self.mainOrganCheck.setObjectName(u"mainOrganCheck")

        self.form.setWidget(4, QFormLayout.ItemRole.FieldRole, self.mainOrganCheck)

        self.fromPreviousCheck = QCheckBox(NewReportDialog)
        self.fromPreviousCheck.setObjectName(u"fromPreviousCheck")

        self.form.setWidget(5, QFormLayout.ItemRole.FieldRole, self.fromPreviousCheck)

        self.previousInfo = QLabel(NewReportDialog)
        self.previousInfo.setObjectName(u"previousInfo")
        self.previousInfo.setWordWrap(True)

        self.form.setWidget(6, QFormLayout.ItemRole.FieldRole, self.previousInfo)


        self.layout.addLayout(self.form)

        self.spacer = QSpacerItem(20, 10, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.layout.addItem(self.spacer)

        self.buttonBox = QDialogButtonBox(NewReportDialog)
        self.buttonBox.setObjectName(u"buttonBox")
        self.buttonBox.setStandardButtons(QDialogButtonBox.StandardButton.Cancel|QDialogButtonBox.StandardButton.Ok)

        self.layout.addWidget(self.buttonBox)

#if QT_CONFIG(shortcut)
        self.unitLabel.setBuddy(self.unitCombo)
        self.roleLabel.setBuddy(self.roleCombo)
        self.yearLabel.setBuddy(self.yearSpin)
#endif // QT_CONFIG(shortcut)
        QWidget.setTabOrder(self.unitCombo, self.roleCombo)
        QWidget.setTabOrder(self.roleCombo, self.yearSpin)
        QWidget.setTabOrder(self.yearSpin, self.mainOrganCheck)
        QWidget.setTabOrder(self.mainOrganCheck, self.fromPreviousCheck)

        self.retranslateUi(NewReportDialog)

        QMetaObject.connectSlotsByName(NewReportDialog)
    # setupUi

    def retranslateUi(self, NewReportDialog):
        NewReportDialog.setWindowTitle(QCoreApplication.translate("NewReportDialog", u"\u65b0\u5efa\u5e74\u5ea6\u62a5\u544a", None))
        self.unitLabel.setText(QCoreApplication.translate("NewReportDialog", u"\u586b\u62a5\u5355\u4f4d(&U)", None))
#if QT_CONFIG(tooltip)
        self.unitCombo.setToolTip(QCoreApplication.translate("NewReportDialog", u"\u9009\u62e9\u5df2\u6709\u5355\u4f4d\uff0c\u6216\u8f93\u5165\u65b0\u5355\u4f4d\u7684\u5168\u79f0\uff08\u5982\u201c\u745e\u5b89\u5e02\u4eba\u6c11\u653f\u5e9c\u201d\uff09", None))
#endif // QT_CONFIG(tooltip)
        self.roleLabel.setText(QCoreApplication.translate("NewReportDialog", u"\u5355\u4f4d\u7c7b\u578b(&T)", None))
        self.yearLabel.setText(QCoreApplication.translate("NewReportDialog", u"\u62a5\u544a\u5e74\u5ea6(&Y)", None))
        self.yearSpin.setSuffix(QCoreApplication.translate("NewReportDialog", u" \u5e74", None))
        self.formatCaption.setText(QCoreApplication.translate("NewReportDialog", u"\u8868\u683c\u683c\u5f0f", None))
        self.formatLabel.setText("")
        self.mainOrganCheck.setText(QCoreApplication.translate("NewReportDialog", u"\u8bbe\u4e3a\u672c\u5de5\u4f5c\u533a\u7684\u4e3b\u62a5\u544a\u5355\u4f4d\uff08\u6c47\u603b\u5404\u5355\u4f4d\u6570\u636e\u7684\u673a\u5173\uff09", None))
        self.fromPreviousCheck.setText(QCoreApplication.translate("NewReportDialog", u"\u4ee5\u4e0a\u5e74\u62a5\u544a\u4e3a\u57fa\u7840\uff08\u590d\u5236\u6587\u5b57\u4f5c\u8349\u7a3f\uff0c\u5e26\u5165\u4e0a\u5e74\u7ed3\u8f6c\u548c\u73b0\u884c\u6709\u6548\u4ef6\u6570\uff09", None))
        self.previousInfo.setText("")
    # retranslateUi

