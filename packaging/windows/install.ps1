# Installs 瑞安年报助手 offline: a venv in %LOCALAPPDATA%\RuianDesk\venv from the wheelhouse beside this script
# (no internet), and a desktop shortcut to the window (ruian-desk-gui.exe). Needs Python 3.11 or 3.12 (64-bit).
# Run:  powershell -ExecutionPolicy Bypass -File install.ps1      (install.bat does exactly this)
$ErrorActionPreference = "Stop"
$here = Split-Path -Parent $MyInvocation.MyCommand.Path
$target = Join-Path $env:LOCALAPPDATA "RuianDesk\venv"

function Find-Python {
    foreach ($v in @("3.12", "3.11")) {
        try {
            $exe = & py "-$v" -c "import sys; print(sys.executable)" 2>$null
            if ($LASTEXITCODE -eq 0 -and $exe) { return $exe.Trim() }
        } catch {}
    }
    foreach ($name in @("python", "python3")) {
        try {
            $ok = & $name -c "import sys; print(sys.version_info[:2] in ((3, 11), (3, 12)) and sys.maxsize > 2**32)" 2>$null
            if ($ok -eq "True") { return (& $name -c "import sys; print(sys.executable)").Trim() }
        } catch {}
    }
    return $null
}

$python = Find-Python
if (-not $python) {
    Write-Host "未找到 Python 3.11 或 3.12（64 位）：请先安装（安装时勾选 Add python.exe to PATH），再运行本脚本。"
    exit 2
}
Write-Host "使用 Python：$python"
Write-Host "安装到：$target"
& $python -m venv $target
if ($LASTEXITCODE -ne 0) { Write-Host "创建虚拟环境失败。"; exit 2 }
$venvPython = Join-Path $target "Scripts\python.exe"
& $venvPython -m pip install --no-index --find-links (Join-Path $here "wheelhouse") `
    -c (Join-Path $here "constraints.txt") ruian-desk
if ($LASTEXITCODE -ne 0) { Write-Host "安装失败（见上面的信息）：安装包里缺少这个 Python 版本的文件？"; exit 2 }

$gui = Join-Path $target "Scripts\ruian-desk-gui.exe"
$desktop = [Environment]::GetFolderPath("Desktop")
$shell = New-Object -ComObject WScript.Shell
$link = $shell.CreateShortcut((Join-Path $desktop "瑞安年报助手.lnk"))
$link.TargetPath = $gui
$link.WorkingDirectory = [Environment]::GetFolderPath("MyDocuments")
$link.Description = "瑞安年报助手：政府信息公开工作年度报告"
$link.Save()
Write-Host "安装完成。桌面上的“瑞安年报助手”打开程序；命令行：$(Join-Path $target 'Scripts\ruian-desk.exe') --help"
