# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'main_window.ui'
##
## Created by: Qt User Interface Compiler version 6.11.3
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import (QCoreApplication, QDate, QDateTime, QLocale,
    QMetaObject, QObject, QPoint, QRect,
    QSize, QTime, QUrl, Qt)
from PySide6.QtGui import (QAction, QBrush, QColor, QConicalGradient,
    QCursor, QFont, QFontDatabase, QGradient,
    QIcon, QImage, QKeySequence, QLinearGradient,
    QPainter, QPalette, QPixmap, QRadialGradient,
    QTransform)
from PySide6.QtWidgets import (QApplication, QComboBox, QFormLayout, QHBoxLayout,
    QHeaderView, QLabel, QMainWindow, QMenu,
    QMenuBar, QSizePolicy, QSplitter, QStackedWidget,
    QStatusBar, QTreeWidget, QTreeWidgetItem, QVBoxLayout,
    QWidget)

class Ui_MainWindow(object):
    def setupUi(self, MainWindow):
        if not MainWindow.objectName():
            MainWindow.setObjectName(u"MainWindow")
        MainWindow.resize(1366, 860)
        MainWindow.setMinimumSize(QSize(960, 600))
        self.actionStartPage = QAction(MainWindow)
        self.actionStartPage.setObjectName(u"actionStartPage")
        self.actionNewReport = QAction(MainWindow)
        self.actionNewReport.setObjectName(u"actionNewReport")
        self.actionNewFromPrevious = QAction(MainWindow)
        self.actionNewFromPrevious.setObjectName(u"actionNewFromPrevious")
        self.actionOpenWorkspace = QAction(MainWindow)
        self.actionOpenWorkspace.setObjectName(u"actionOpenWorkspace")
        self.actionOpenSample = QAction(MainWindow)
        self.actionOpenSample.setObjectName(u"actionOpenSample")
        self.actionSaveCopy = QAction(MainWindow)
        self.actionSaveCopy.setObjectName(u"actionSaveCopy")
        self.actionCloseWorkspace = QAction(MainWindow)
        self.actionCloseWorkspace.setObjectName(u"actionCloseWorkspace")
        self.actionQuit = QAction(MainWindow)
        self.actionQuit.setObjectName(u"actionQuit")
        self.actionRunChecks = QAction(MainWindow)
        self.actionRunChecks.setObjectName(u"actionRunChecks")
        self.actionNextIssue = QAction(MainWindow)
        self.actionNextIssue.setObjectName(u"actionNextIssue")
        self.actionShortcuts = QAction(MainWindow)
        self.actionShortcuts.setObjectName(u"actionShortcuts")
        self.actionAbout = QAction(MainWindow)
        self.actionAbout.setObjectName(u"actionAbout")
        self.centralwidget = QWidget(MainWindow)
        self.centralwidget.setObjectName(u"centralwidget")
        self.centralLayout = QVBoxLayout(self.centralwidget)
        self.centralLayout.setSpacing(0)
        self.centralLayout.setObjectName(u"centralLayout")
        self.centralLayout.setContentsMargins(0, 0, 0, 0)
        self.modeStack = QStackedWidget(self.centralwidget)
        self.modeStack.setObjectName(u"modeStack")
        self.startHost = QWidget()
        self.startHost.setObjectName(u"startHost")
        self.startHostLayout = QVBoxLayout(self.startHost)
        self.startHostLayout.setObjectName(u"startHostLayout")
        self.startHostLayout.setContentsMargins(0, 0, 0, 0)
        self.modeStack.addWidget(self.startHost)
        self.workHost = QWidget()
        self.workHost.setObjectName(u"workHost")
        self.workLayout = QHBoxLayout(self.workHost)
        self.workLayout.setObjectName(u"workLayout")
        self.workLayout.setContentsMargins(0, 0, 0, 0)
        self.splitter = QSplitter(self.workHost)
        self.splitter.setObjectName(u"splitter")
        self.splitter.setOrientation(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.navPane = QWidget(self.splitter)
        self.navPane.setObjectName(u"navPane")
        self.navPane.setMinimumSize(QSize(240, 0))
        self.navPane.setMaximumSize(QSize(440, 16777215))
        self.navLayout = QVBoxLayout(self.navPane)
        self.navLayout.setSpacing(6)
        self.navLayout.setObjectName(u"navLayout")
        self.navLayout.setContentsMargins(8, 8, 4, 8)
        self.pickerLayout = QFormLayout()
        self.pickerLayout.setObjectName(u"pickerLayout")
        self.pickerLayout.setHorizontalSpacing(6)
        self.pickerLayout.setVerticalSpacing(6)
        self.unitLabel = QLabel(self.navPane)
        self.unitLabel.setObjectName(u"unitLabel")

        self.pickerLayout.setWidget(0, QFormLayout.ItemRole.LabelRole, self.unitLabel)

        self.unitCombo = QComboBox(self.navPane)
        self.unitCombo.setObjectName(u"unitCombo")
        self.unitCombo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.unitCombo.setMinimumContentsLength(8)

        self.pickerLayout.setWidget(0, QFormLayout.ItemRole.FieldRole, self.unitCombo)

        self.yearLabel = QLabel(self.navPane)
        self.yearLabel.setObjectName(u"yearLabel")

        self.pickerLayout.setWidget(1, QFormLayout.ItemRole.LabelRole, self.yearLabel)

        self.yearCombo = QComboBox(self.navPane)
        self.yearCombo.setObjectName(u"yearCombo")

        self.pickerLayout.setWidget(1, QFormLayout.ItemRole.FieldRole, self.yearCombo)


        self.navLayout.addLayout(self.pickerLayout)

        self.navTree = QTreeWidget(self.navPane)
        self.navTree.setObjectName(u"navTree")
        self.navTree.setHeaderHidden(True)
        self.navTree.setUniformRowHeights(True)

        self.navLayout.addWidget(self.navTree)

        self.splitter.addWidget(self.navPane)
        self.pageStack = QStackedWidget(self.splitter)
        self.pageStack.setObjectName(u"pageStack")
        self.splitter.addWidget(self.pageStack)

        self.workLayout.addWidget(self.splitter)

        self.modeStack.addWidget(self.workHost)

        self.centralLayout.addWidget(self.modeStack)

        MainWindow.setCentralWidget(self.centralwidget)
        self.menubar = QMenuBar(MainWindow)
        self.menubar.setObjectName(u"menubar")
        self.menubar.setGeometry(QRect(0, 0, 1366, 24))
        self.menuFile = QMenu(self.menubar)
        self.menuFile.setObjectName(u"menuFile")
        self.menuRecent = QMenu(self.menuFile)
        self.menuRecent.setObjectName(u"menuRecent")
        self.menuEdit = QMenu(self.menubar)
        self.menuEdit.setObjectName(u"menuEdit")
        self.menuReport = QMenu(self.menubar)
        self.menuReport.setObjectName(u"menuReport")
        self.menuHelp = QMenu(self.menubar)
        self.menuHelp.setObjectName(u"menuHelp")
        MainWindow.setMenuBar(self.menubar)
        self.statusbar = QStatusBar(MainWindow)
        self.statusbar.setObjectName(u"statusbar")
        MainWindow.setStatusBar(self.statusbar)
#if QT_CONFIG(shortcut)
        self.unitLabel.setBuddy(self.unitCombo)
        self.yearLabel.setBuddy(self.yearCombo)
#endif // QT_CONFIG(shortcut)

        self.menubar.addAction(self.menuFile.menuAction())
        self.menubar.addAction(self.menuEdit.menuAction())
        self.menubar.addAction(self.menuReport.menuAction())
        self.menubar.addAction(self.menuHelp.menuAction())
        self.menuFile.addAction(self.actionStartPage)
        self.menuFile.addSeparator()
        self.menuFile.addAction(self.actionNewReport)
        self.menuFile.addAction(self.actionNewFromPrevious)
        self.menuFile.addSeparator()
        self.menuFile.addAction(self.actionOpenWorkspace)
        self.menuFile.addAction(self.menuRecent.menuAction())
        self.menuFile.addAction(self.actionOpenSample)
        self.menuFile.addAction(self.actionSaveCopy)
        self.menuFile.addSeparator()
        self.menuFile.addAction(self.actionCloseWorkspace)
        self.menuFile.addAction(self.actionQuit)
        self.menuReport.addAction(self.actionRunChecks)
        self.menuReport.addAction(self.actionNextIssue)
        self.menuHelp.addAction(self.actionShortcuts)
        self.menuHelp.addAction(self.actionAbout)

        self.retranslateUi(MainWindow)

        QMetaObject.connectSlotsByName(MainWindow)
    # setupUi

    def retranslateUi(self, MainWindow):
        MainWindow.setWindowTitle(QCoreApplication.translate("MainWindow", u"\u745e\u5b89\u5e74\u62a5\u52a9\u624b", None))
        self.actionStartPage.setText(QCoreApplication.translate("MainWindow", u"\u5f00\u59cb\u9875(&S)", None))
        self.actionNewReport.setText(QCoreApplication.translate("MainWindow", u"\u65b0\u5efa\u5e74\u5ea6\u62a5\u544a(&N)\u2026", None))
#if QT_CONFIG(shortcut)
        self.actionNewReport.setShortcut(QCoreApplication.translate("MainWindow", u"Ctrl+N", None))
#endif // QT_CONFIG(shortcut)
        self.actionNewFromPrevious.setText(QCoreApplication.translate("MainWindow", u"\u4ee5\u4e0a\u5e74\u62a5\u544a\u4e3a\u57fa\u7840\u65b0\u5efa(&P)\u2026", None))
#if QT_CONFIG(shortcut)
        self.actionNewFromPrevious.setShortcut(QCoreApplication.translate("MainWindow", u"Ctrl+Shift+N", None))
#endif // QT_CONFIG(shortcut)
        self.actionOpenWorkspace.setText(QCoreApplication.translate("MainWindow", u"\u6253\u5f00\u5de5\u4f5c\u533a(&O)\u2026", None))
#if QT_CONFIG(shortcut)
        self.actionOpenWorkspace.setShortcut(QCoreApplication.translate("MainWindow", u"Ctrl+O", None))
#endif // QT_CONFIG(shortcut)
        self.actionOpenSample.setText(QCoreApplication.translate("MainWindow", u"\u6253\u5f00\u793a\u4f8b\uff08\u745e\u5b89\u5e02\u4eba\u6c11\u653f\u5e9c2019\u5e74\u62a5\uff09", None))
        self.actionSaveCopy.setText(QCoreApplication.translate("MainWindow", u"\u5bfc\u51fa\u5de5\u4f5c\u533a\u526f\u672c(&C)\u2026", None))
#if QT_CONFIG(tooltip)
        self.actionSaveCopy.setToolTip(QCoreApplication.translate("MainWindow", u"\u628a\u6574\u4e2a\u5de5\u4f5c\u533a\u53e6\u5b58\u4e3a\u4e00\u4e2a\u65b0\u6587\u4ef6\uff08\u539f\u6587\u4ef6\u7167\u5e38\u4f7f\u7528\uff09", None))
#endif // QT_CONFIG(tooltip)
        self.actionCloseWorkspace.setText(QCoreApplication.translate("MainWindow", u"\u5173\u95ed\u5de5\u4f5c\u533a", None))
        self.actionQuit.setText(QCoreApplication.translate("MainWindow", u"\u9000\u51fa(&X)", None))
#if QT_CONFIG(shortcut)
        self.actionQuit.setShortcut(QCoreApplication.translate("MainWindow", u"Ctrl+Q", None))
#endif // QT_CONFIG(shortcut)
        self.actionRunChecks.setText(QCoreApplication.translate("MainWindow", u"\u5ba1\u6838(&K)", None))
#if QT_CONFIG(shortcut)
        self.actionRunChecks.setShortcut(QCoreApplication.translate("MainWindow", u"F5", None))
#endif // QT_CONFIG(shortcut)
        self.actionNextIssue.setText(QCoreApplication.translate("MainWindow", u"\u4e0b\u4e00\u4e2a\u95ee\u9898(&I)", None))
#if QT_CONFIG(shortcut)
        self.actionNextIssue.setShortcut(QCoreApplication.translate("MainWindow", u"F8", None))
#endif // QT_CONFIG(shortcut)
        self.actionShortcuts.setText(QCoreApplication.translate("MainWindow", u"\u5feb\u6377\u952e\u8bf4\u660e(&K)", None))
#if QT_CONFIG(shortcut)
        self.actionShortcuts.setShortcut(QCoreApplication.translate("MainWindow", u"F1", None))
#endif // QT_CONFIG(shortcut)
        self.actionAbout.setText(QCoreApplication.translate("MainWindow", u"\u5173\u4e8e\u745e\u5b89\u5e74\u62a5\u52a9\u624b(&A)", None))
        self.unitLabel.setText(QCoreApplication.translate("MainWindow", u"\u5355\u4f4d(&U)", None))
#if QT_CONFIG(tooltip)
        self.unitCombo.setToolTip(QCoreApplication.translate("MainWindow", u"\u9009\u62e9\u8981\u586b\u62a5\u7684\u5355\u4f4d\uff1a\u4e3b\u62a5\u544a\u5355\u4f4d\u6216\u4efb\u4e00\u586b\u62a5\u5355\u4f4d", None))
#endif // QT_CONFIG(tooltip)
        self.yearLabel.setText(QCoreApplication.translate("MainWindow", u"\u5e74\u5ea6(&Y)", None))
#if QT_CONFIG(tooltip)
        self.yearCombo.setToolTip(QCoreApplication.translate("MainWindow", u"\u62a5\u544a\u5e74\u5ea6\uff08\u7edf\u8ba1\u671f\u9650\u4e3a\u8be5\u5e741\u67081\u65e5\u81f312\u670831\u65e5\uff09", None))
#endif // QT_CONFIG(tooltip)
        ___qtreewidgetitem = self.navTree.headerItem()
        ___qtreewidgetitem.setText(0, QCoreApplication.translate("MainWindow", u"\u5185\u5bb9", None))
#if QT_CONFIG(tooltip)
        self.navTree.setToolTip(QCoreApplication.translate("MainWindow", u"\u62a5\u544a\u7684\u5404\u90e8\u5206\uff08Ctrl+1\u2026Ctrl+9 \u5feb\u901f\u8df3\u8f6c\uff09", None))
#endif // QT_CONFIG(tooltip)
        self.menuFile.setTitle(QCoreApplication.translate("MainWindow", u"\u6587\u4ef6(&F)", None))
        self.menuRecent.setTitle(QCoreApplication.translate("MainWindow", u"\u6700\u8fd1\u6253\u5f00(&R)", None))
        self.menuEdit.setTitle(QCoreApplication.translate("MainWindow", u"\u7f16\u8f91(&E)", None))
        self.menuReport.setTitle(QCoreApplication.translate("MainWindow", u"\u62a5\u544a(&B)", None))
        self.menuHelp.setTitle(QCoreApplication.translate("MainWindow", u"\u5e2e\u52a9(&H)", None))
    # retranslateUi

