# For the zipped bundle (no Python needed): unzip the folder anywhere (e.g. D:\RuianDesk), then run
#   powershell -ExecutionPolicy Bypass -File make-shortcut.ps1
# to put “瑞安年报助手” on the desktop (ruian-desk-gui.exe beside this script).
$here = Split-Path -Parent $MyInvocation.MyCommand.Path
$shell = New-Object -ComObject WScript.Shell
$link = $shell.CreateShortcut((Join-Path ([Environment]::GetFolderPath("Desktop")) "瑞安年报助手.lnk"))
$link.TargetPath = Join-Path $here "ruian-desk-gui.exe"
$link.WorkingDirectory = [Environment]::GetFolderPath("MyDocuments")
$link.Save()
Write-Host "桌面快捷方式已建好。命令行：$(Join-Path $here 'ruian-desk.exe') --help"
