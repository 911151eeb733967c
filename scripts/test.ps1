# Run the whole test suite on a Windows workstation: setup.ps1 -Test, then
# lint-imports (layering contracts in pyproject.toml), then pytest with the Qt
# offscreen platform. Extra arguments go to pytest. Exits non-zero on any failure,
# including "no tests collected".
#
#   powershell -ExecutionPolicy Bypass -File scripts\test.ps1 [PYTEST ARGS...]
$ErrorActionPreference = 'Stop'
$Root = Split-Path -Parent $PSScriptRoot
Set-Location $Root

& (Join-Path $PSScriptRoot 'setup.ps1') -Test

# >>> POSTGRESQL: later work starts a local PostgreSQL server here for the branch tests.
# <<< POSTGRESQL

Write-Host 'test: lint-imports'
& (Join-Path $Root '.venv\Scripts\lint-imports.exe')
if ($LASTEXITCODE -ne 0) { Write-Host 'test: FAILED: lint-imports'; exit 1 }

Write-Host 'test: pytest'
$env:QT_QPA_PLATFORM = 'offscreen'
& (Join-Path $Root '.venv\Scripts\python.exe') -m pytest -q @args
$rc = $LASTEXITCODE
if ($rc -eq 5) { Write-Host 'test: FAILED: pytest collected no tests'; exit 1 }
if ($rc -ne 0) { Write-Host "test: FAILED: pytest exit status $rc"; exit $rc }
Write-Host 'test: all passed'
