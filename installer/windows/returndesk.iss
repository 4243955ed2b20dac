; ReturnDesk for Windows: Inno Setup 6 script over the PyInstaller folder dist\returndesk.
; How to build it: README.md beside this file. In short, after installer\build.sh (or PyInstaller
; with installer\returndesk.spec) on Windows:
;   ISCC.exe /DAppVersion=0.1.0 installer\windows\returndesk.iss
;
; Installs for the current user without administrator rights (Program Files for everyone only when
; the user chooses it in the first dialog, which asks for elevation). The wizard speaks English and
; Simplified Chinese; the Chinese messages file ships with Inno Setup 6.5 and newer, a copy next to
; this script is used with older versions, and without either the installer is English only.

#define AppName "ReturnDesk"
#define AppPublisher "ReturnDesk"
#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
; The PyInstaller folder and where the installer is written, relative to this script.
#ifndef BundleDir
  #define BundleDir "..\..\dist\returndesk"
#endif
#ifndef OutputDir
  #define OutputDir "..\..\dist"
#endif

#if !FileExists(SourcePath + BundleDir + "\returndesk-gui.exe")
  #error "dist\returndesk\returndesk-gui.exe was not found: build the PyInstaller folder first (see README.md)"
#endif

[Setup]
; The AppId identifies ReturnDesk for upgrades and the uninstaller: never change it.
AppId={{A2567AA9-2164-48F1-9854-C500E87F148E}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppPublisher}
VersionInfoVersion={#AppVersion}
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; Qt 6 needs Windows 10 or newer.
MinVersion=10.0
OutputDir={#OutputDir}
OutputBaseFilename=ReturnDesk-{#AppVersion}-setup
SetupIconFile=..\..\resources\icons\returndesk.ico
UninstallDisplayIcon={app}\returndesk-gui.exe
UninstallDisplayName={#AppName}
WizardStyle=modern
Compression=lzma2/max
SolidCompression=yes
ShowLanguageDialog=auto
; A running ReturnDesk is asked to close before its files are replaced.
CloseApplications=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"
#if FileExists(CompilerPath + "Languages\ChineseSimplified.isl")
  #define HaveChinese
Name: "chinesesimplified"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
#elif FileExists(CompilerPath + "Languages\Unofficial\ChineseSimplified.isl")
  #define HaveChinese
Name: "chinesesimplified"; MessagesFile: "compiler:Languages\Unofficial\ChineseSimplified.isl"
#elif FileExists(SourcePath + "ChineseSimplified.isl")
  #define HaveChinese
Name: "chinesesimplified"; MessagesFile: "ChineseSimplified.isl"
#else
  #pragma warning "ChineseSimplified.isl not found (Inno Setup before 6.5): the installer will be English only. Put a copy next to this script to add Chinese."
#endif

[CustomMessages]
english.CommandLine=ReturnDesk command line
english.CommandLineComment=Administration: database, users, imports, exports, checks
english.AppComment=Customer returns: counter intake, inspection, approval and refund
#ifdef HaveChinese
chinesesimplified.CommandLine=ReturnDesk 命令行
chinesesimplified.CommandLineComment=管理：数据库、用户、导入、导出、检查
chinesesimplified.AppComment=客户退货：柜台登记、质检、审批与退款
#endif

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; An upgrade replaces the whole bundle: files an older version had (a renamed migration script,
; an old Qt plugin) must not stay behind and be loaded by the new one.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\returndesk-gui.exe"; Comment: "{cm:AppComment}"
Name: "{group}\{cm:CommandLine}"; Filename: "{cmd}"; Parameters: "/k ""{app}\returndesk.exe"" --help"; WorkingDir: "{userdocs}"; Comment: "{cm:CommandLineComment}"
Name: "{group}\{cm:UninstallProgram,{#AppName}}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\returndesk-gui.exe"; Comment: "{cm:AppComment}"; Tasks: desktopicon

[Run]
Filename: "{app}\returndesk-gui.exe"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

; The local database and the settings (in %LOCALAPPDATA%\ReturnDesk and %APPDATA%\ReturnDesk)
; belong to the user and stay when ReturnDesk is uninstalled.
