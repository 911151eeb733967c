# Prepare this checkout on a Windows workstation (and with -Test, for running the tests).
#
#   powershell -ExecutionPolicy Bypass -File scripts\setup.ps1 [-Test]
#
# Creates .venv in the repository root with Python >= 3.12 (py launcher preferred) and
# runs pip install -e . (or -e .[test]). Skips the install when pyproject.toml has not
# changed since the last successful one (stamp file .venv\.installed-<sha256>[-test]).
param([switch]$Test)

$ErrorActionPreference = 'Stop'
$Root = Split-Path -Parent $PSScriptRoot
Set-Location $Root

function Say($msg) { Write-Host "setup: $msg" }

function Test-Python([string[]]$cmd, [int]$minor) {
    # True when the command runs and is Python 3.$minor or newer.
    try {
        $exe = $cmd[0]; $rest = @($cmd | Select-Object -Skip 1)
        & $exe @rest -c "import sys; sys.exit(0 if sys.version_info >= (3, $minor) else 1)" 2>$null | Out-Null
        return ($LASTEXITCODE -eq 0)
    } catch { return $false }
}

function Find-Python {
    foreach ($c in @(@('py', '-3.12'), @('py', '-3.13'))) {
        if (Test-Python $c 12) { return ,$c }
    }
    foreach ($c in @(@('py', '-3'), @('python'))) {
        if (Test-Python $c 11) { return ,$c }
    }
    return $null
}

$Venv = Join-Path $Root '.venv'
$VPy = Join-Path $Venv 'Scripts\python.exe'

function Test-Venv {
    if (-not (Test-Path $VPy)) { return $false }
    if (-not (Test-Python @($VPy) 11)) { return $false }
    try {
        & $VPy -m pip --version 2>$null | Out-Null
        return ($LASTEXITCODE -eq 0)
    } catch { return $false }
}

if (Test-Venv) {
    Say "reusing .venv ($(& $VPy -c 'import platform; print(platform.python_version())'))"
} else {
    $py = Find-Python
    if (-not $py) {
        throw 'setup: no Python >= 3.11 found. Install Python 3.12 from python.org (with the py launcher) and run again.'
    }
    if (Test-Path $Venv) {
        Say 'existing .venv is broken or too old: recreating it'
        Remove-Item -Recurse -Force $Venv
    }
    $exe = $py[0]; $rest = @($py | Select-Object -Skip 1)
    Say "creating .venv with $($py -join ' ')"
    & $exe @rest -m venv $Venv
    if ($LASTEXITCODE -ne 0 -or -not (Test-Venv)) { throw 'setup: could not create a working .venv' }
}

$hash = (Get-FileHash -Algorithm SHA256 (Join-Path $Root 'pyproject.toml')).Hash.ToLower()
$stampPlain = Join-Path $Venv ".installed-$hash"
$stampTest = Join-Path $Venv ".installed-$hash-test"
if ($Test) { $stamp = $stampTest; $target = '.[test]' } else { $stamp = $stampPlain; $target = '.' }

if ((Test-Path $stamp) -or (-not $Test -and (Test-Path $stampTest))) {
    Say 'python dependencies up to date'
} else {
    $env:PIP_DISABLE_PIP_VERSION_CHECK = '1'
    Say 'upgrading pip'
    & $VPy -m pip install -q --upgrade pip
    if ($LASTEXITCODE -ne 0) { Say 'warning: pip upgrade failed, continuing' }
    Say "installing python dependencies: pip install -e '$target'"
    & $VPy -m pip install -q --config-settings editable_mode=compat -e $target
    if ($LASTEXITCODE -ne 0) { throw "setup: pip install -e '$target' failed" }
    Get-ChildItem -Path $Venv -Filter '.installed-*' -Force | Remove-Item -Force
    New-Item -ItemType File -Path $stamp | Out-Null
    Say 'python dependencies installed'
}

Say "ready ($VPy)"
