namespace PSTrace.Core.Pictures;

/// <summary>The flame graph's background gradient and styles, written into each SVG so it needs nothing else.</summary>
internal static class FlameGraphStyle
{
    public const string Defs = """
        <defs>
        <linearGradient id="background" y1="0" y2="1" x1="0" x2="0">
        <stop stop-color="#eeeeee" offset="5%"/>
        <stop stop-color="#eeeeb0" offset="95%"/>
        </linearGradient>
        </defs>
        <style type="text/css">
        text { font-family: Verdana, sans-serif; font-size: 12px; fill: rgb(0,0,0); }
        #title { text-anchor: middle; font-size: 17px; }
        #search, #matched { text-anchor: end; }
        .button { cursor: pointer; opacity: 0.4; }
        .button:hover { opacity: 1; }
        .hide { display: none; }
        .f text { pointer-events: none; font-size: 12px; }
        .f:hover rect { stroke: black; stroke-width: 0.5; cursor: pointer; }
        .f.parent { opacity: 0.5; }
        .f.match rect { fill: rgb(230,0,230); }
        </style>

        """;
}
