@echo off
rem Installs Ruian Desk offline (see install.ps1): double-click this file.
chcp 65001 >nul
powershell -NoProfile -ExecutionPolicy Bypass -File "%~dp0install.ps1"
set rc=%ERRORLEVEL%
pause
exit /b %rc%
