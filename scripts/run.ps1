# Start the application on a Windows workstation: installs what is missing
# (scripts\setup.ps1), then runs .venv\Scripts\python.exe -m app [ARGS...].
# With no arguments this opens the GUI on the default station database (a demo
# station is created on first run).
#
#   powershell -ExecutionPolicy Bypass -File scripts\run.ps1 [ARGS...]
$ErrorActionPreference = 'Stop'
$Root = Split-Path -Parent $PSScriptRoot

& (Join-Path $PSScriptRoot 'setup.ps1')

& (Join-Path $Root '.venv\Scripts\python.exe') -m app @args
exit $LASTEXITCODE
