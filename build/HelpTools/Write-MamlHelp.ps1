<#
.SYNOPSIS
Writes the MAML help file Get-Help reads for binary cmdlets.

.DESCRIPTION
Each cmdlet becomes a command:command element: details (name, verb, noun, synopsis),
description, syntax (one item per parameter set, built from the cmdlet itself),
parameters, inputTypes, returnValues, alertSet (notes), examples and relatedLinks
(text from its page). Namespace URIs are always passed to XmlWriter explicitly:
PowerShell hands a .NET string parameter "" for $null, which XmlWriter would read as
"no namespace".
#>
function Write-MamlHelp {
    [CmdletBinding()]
    [OutputType([System.IO.FileInfo])]
    param(
        # Pairs of @{ Page = <ConvertFrom-HelpMarkdown result>; Command = <Get-CmdletHelpMetadata result> }.
        [Parameter(Mandatory)]
        [object[]] $Entry,

        # The file to write, e.g. out/PSTrace/0.1.0/en-US/PSTrace.dll-Help.xml.
        [Parameter(Mandatory)]
        [string] $Path
    )

    # XmlWriter resolves a relative path against the process's directory, not PowerShell's.
    $Path = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($Path)
    $directory = Split-Path -Parent $Path
    if ($directory) { $null = New-Item -ItemType Directory -Path $directory -Force }

    $settings = [Xml.XmlWriterSettings]::new()
    $settings.Indent = $true
    $settings.Encoding = [Text.UTF8Encoding]::new($false)
    $writer = [Xml.XmlWriter]::Create($Path, $settings)
    try {
        $writer.WriteStartDocument()
        $writer.WriteStartElement('helpItems', $script:MamlNamespace.Msh)
        $writer.WriteAttributeString('schema', 'maml')
        foreach ($item in $Entry | Sort-Object { $_.Command.Name }) {
            Write-MamlCommand $writer $item.Page $item.Command
        }
        $writer.WriteEndElement()
        $writer.WriteEndDocument()
    }
    finally {
        $writer.Dispose()
    }
    Get-Item -LiteralPath $Path
}

$script:MamlNamespace = @{
    Msh     = 'http://msh'
    Maml    = 'http://schemas.microsoft.com/maml/2004/10'
    Command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
    Dev     = 'http://schemas.microsoft.com/maml/dev/2004/10'
    MSHelp  = 'http://msdn.microsoft.com/mshelp'
    Xmlns   = 'http://www.w3.org/2000/xmlns/'
}

function Start-MamlElement([Xml.XmlWriter] $Writer, [string] $Prefix, [string] $Name) {
    $namespace = switch ($Prefix) { 'maml' { $script:MamlNamespace.Maml } 'command' { $script:MamlNamespace.Command } 'dev' { $script:MamlNamespace.Dev } }
    $Writer.WriteStartElement($Prefix, $Name, $namespace)
}

function Write-MamlText([Xml.XmlWriter] $Writer, [string] $Prefix, [string] $Name, [string] $Text) {
    Start-MamlElement $Writer $Prefix $Name
    $Writer.WriteString($Text)
    $Writer.WriteEndElement()
}

function Write-MamlParagraph([Xml.XmlWriter] $Writer, [string] $Prefix, [string] $Name, [string[]] $Paragraph) {
    Start-MamlElement $Writer $Prefix $Name
    foreach ($text in $Paragraph) { Write-MamlText $Writer 'maml' 'para' $text }
    $Writer.WriteEndElement()
}

function Write-MamlCommand([Xml.XmlWriter] $Writer, $Page, $Command) {
    Start-MamlElement $Writer 'command' 'command'
    foreach ($prefix in 'maml', 'command', 'dev', 'MSHelp') {
        $Writer.WriteAttributeString('xmlns', $prefix, $script:MamlNamespace.Xmlns, $script:MamlNamespace[$prefix])
    }

    Start-MamlElement $Writer 'command' 'details'
    Write-MamlText $Writer 'command' 'name' $Command.Name
    Write-MamlText $Writer 'command' 'verb' $Command.Verb
    Write-MamlText $Writer 'command' 'noun' $Command.Noun
    Write-MamlParagraph $Writer 'maml' 'description' $Page.Synopsis
    $Writer.WriteEndElement()

    Write-MamlParagraph $Writer 'maml' 'description' $Page.Description
    Write-MamlSyntax $Writer $Page $Command

    Start-MamlElement $Writer 'command' 'parameters'
    $defaultSet = $Command.ParameterSets | Where-Object IsDefault | Select-Object -First 1 -ExpandProperty Name
    foreach ($documented in $Page.Parameters) {
        $parameter = $Command.Parameters | Where-Object Name -EQ $documented.Name
        # Get-Help shows one binding per parameter: the default set's, else its first set's.
        $binding = ($parameter.Sets | Where-Object Set -EQ $defaultSet | Select-Object -First 1) ?? ($parameter.Sets | Select-Object -First 1)
        Write-MamlParameter $Writer $parameter $binding $documented -InSyntax:$false
    }
    $Writer.WriteEndElement()

    Write-MamlTypeList $Writer 'inputTypes' 'inputType' $Page.Inputs
    Write-MamlTypeList $Writer 'returnValues' 'returnValue' $Page.Outputs

    if ($Page.Notes.Count) {
        Start-MamlElement $Writer 'maml' 'alertSet'
        Write-MamlParagraph $Writer 'maml' 'alert' $Page.Notes
        $Writer.WriteEndElement()
    }

    Start-MamlElement $Writer 'command' 'examples'
    foreach ($example in $Page.Examples) {
        Start-MamlElement $Writer 'command' 'example'
        # Get-Help prints the title as it is; the dashes set examples apart as in PowerShell's own help.
        Write-MamlText $Writer 'maml' 'title' "---------- $($example.Title) ----------"
        Write-MamlText $Writer 'dev' 'code' $example.Code
        Write-MamlParagraph $Writer 'dev' 'remarks' $example.Remarks
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()

    Write-MamlLink $Writer $Page
    $Writer.WriteEndElement()
}

# Syntax comes from the cmdlet, not the page: it is what the cmdlet really accepts.
function Write-MamlSyntax([Xml.XmlWriter] $Writer, $Page, $Command) {
    Start-MamlElement $Writer 'command' 'syntax'
    foreach ($set in $Command.ParameterSets) {
        Start-MamlElement $Writer 'command' 'syntaxItem'
        Write-MamlText $Writer 'maml' 'name' $Command.Name
        # PowerShell's order: positional parameters by position, then the rest as declared.
        $inSet = foreach ($parameter in $Command.Parameters) {
            $binding = $parameter.Sets | Where-Object Set -EQ $set.Name
            if ($binding) { [pscustomobject]@{ Parameter = $parameter; Binding = $binding } }
        }
        $ordered = @($inSet | Where-Object { $_.Binding.Position -ne 'Named' } | Sort-Object { [int]$_.Binding.Position }) +
            @($inSet | Where-Object { $_.Binding.Position -eq 'Named' })
        foreach ($entry in $ordered) {
            $documented = $Page.Parameters | Where-Object Name -EQ $entry.Parameter.Name
            Write-MamlParameter $Writer $entry.Parameter $entry.Binding $documented -InSyntax:$true
        }
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()
}

function Write-MamlParameter([Xml.XmlWriter] $Writer, $Parameter, $Binding, $Documented, [switch] $InSyntax) {
    Start-MamlElement $Writer 'command' 'parameter'
    $Writer.WriteAttributeString('required', $Binding.Required.ToString().ToLowerInvariant())
    $Writer.WriteAttributeString('variableLength', $Parameter.TypeName.EndsWith('[]').ToString().ToLowerInvariant())
    $Writer.WriteAttributeString('globbing', $Parameter.SupportsWildcards.ToString().ToLowerInvariant())
    $Writer.WriteAttributeString('pipelineInput', (Format-PipelineInput -ByValue $Binding.ByValue -ByPropertyName $Binding.ByPropertyName))
    $Writer.WriteAttributeString('position', $Binding.Position.ToLowerInvariant())
    $Writer.WriteAttributeString('aliases', $(if (@($Parameter.Aliases).Count) { $Parameter.Aliases -join ', ' } else { 'none' }))

    Write-MamlText $Writer 'maml' 'name' $Parameter.Name
    Write-MamlParagraph $Writer 'maml' 'description' $(if ($Documented) { $Documented.Description } else { @() })
    if ($InSyntax -and @($Parameter.AcceptedValues).Count) {
        Start-MamlElement $Writer 'command' 'parameterValueGroup'
        foreach ($value in $Parameter.AcceptedValues) { Write-MamlParameterValue $Writer $value $false }
        $Writer.WriteEndElement()
    }
    # A switch shows no value in syntax: [-Force], not [-Force <SwitchParameter>].
    elseif (-not ($InSyntax -and $Parameter.IsSwitch)) {
        Write-MamlParameterValue $Writer $Parameter.TypeName (-not $Parameter.IsSwitch)
    }
    Start-MamlElement $Writer 'dev' 'type'
    Write-MamlText $Writer 'maml' 'name' $Parameter.TypeFullName
    Write-MamlText $Writer 'maml' 'uri' ''
    $Writer.WriteEndElement()
    $default = if ($Documented -and $Documented.Blocks.Count -and $Documented.Blocks[0]['Default value']) { $Documented.Blocks[0]['Default value'] } else { 'None' }
    Write-MamlText $Writer 'dev' 'defaultValue' $default
    $Writer.WriteEndElement()
}

function Write-MamlParameterValue([Xml.XmlWriter] $Writer, [string] $Value, [bool] $Required) {
    Start-MamlElement $Writer 'command' 'parameterValue'
    $Writer.WriteAttributeString('required', $Required.ToString().ToLowerInvariant())
    $Writer.WriteAttributeString('variableLength', 'false')
    $Writer.WriteString($Value)
    $Writer.WriteEndElement()
}

function Write-MamlTypeList([Xml.XmlWriter] $Writer, [string] $ListName, [string] $ItemName, [object[]] $Type) {
    Start-MamlElement $Writer 'command' $ListName
    foreach ($entry in $Type) {
        Start-MamlElement $Writer 'command' $ItemName
        Start-MamlElement $Writer 'dev' 'type'
        Write-MamlText $Writer 'maml' 'name' $entry.TypeName
        $Writer.WriteEndElement()
        Write-MamlParagraph $Writer 'maml' 'description' $entry.Description
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()
}

# The front matter's online version comes first: Get-Help -Online opens the first link's URI.
function Write-MamlLink([Xml.XmlWriter] $Writer, $Page) {
    $links = @()
    $online = $Page.FrontMatter['online version']
    if ($online) { $links += [pscustomobject]@{ Text = 'Online Version:'; Uri = $online } }
    $links += $Page.Links
    Start-MamlElement $Writer 'command' 'relatedLinks'
    foreach ($link in $links) {
        Start-MamlElement $Writer 'maml' 'navigationLink'
        Write-MamlText $Writer 'maml' 'linkText' $link.Text
        Write-MamlText $Writer 'maml' 'uri' $link.Uri
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()
}
