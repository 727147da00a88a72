/// The platform's one stylesheet: mobile first, readable contrast, visible focus, print-friendly.
public enum Stylesheet {
    public static let css = """
    *{box-sizing:border-box}
    html{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;font-size:100%;line-height:1.5;color:#1b1b1b;background:#fff}
    body{margin:0}
    a{color:#0b4f9c}
    a:focus,button:focus,input:focus,select:focus{outline:3px solid #ffbf47;outline-offset:2px}
    .skip-link{position:absolute;left:-999px;top:0;background:#fff;padding:.5rem}
    .skip-link:focus{left:.5rem}
    .site-header{background:var(--primary,#a50e0e);color:#fff;padding:.5rem 1rem;display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;justify-content:space-between}
    .site-header a,.site-header .who{color:#fff}
    .brand{display:flex;align-items:center;gap:.5rem;font-weight:700;text-decoration:none;font-size:1.1rem}
    .site-header nav ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:1rem;align-items:center}
    .site-header button{background:transparent;color:#fff;border:1px solid #fff;border-radius:4px;padding:.25rem .6rem;cursor:pointer}
    form.inline{display:inline-flex;gap:.5rem;align-items:center}
    main{max-width:72rem;margin:0 auto;padding:1rem}
    footer{border-top:4px solid var(--secondary,#f4c20d);padding:1rem;text-align:center;color:#555}
    .breadcrumbs ol{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.25rem}
    .breadcrumbs li+li::before{content:"›";margin-right:.25rem}
    .admin-menu ul{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:1rem;border-bottom:1px solid #ccc;padding-bottom:.5rem}
    .stack{display:flex;flex-direction:column;gap:.75rem;max-width:32rem}
    .filters{display:flex;flex-wrap:wrap;gap:.75rem;align-items:flex-end}
    .field{display:flex;flex-direction:column;gap:.25rem}
    label{font-weight:600}
    input,select{font:inherit;padding:.5rem;border:2px solid #555;border-radius:4px;min-height:2.75rem}
    button,.button{font:inherit;background:var(--primary,#a50e0e);color:#fff;border:0;border-radius:4px;padding:.6rem 1.2rem;cursor:pointer;text-decoration:none;display:inline-block}
    .button.secondary{background:#fff;color:var(--primary,#a50e0e);border:2px solid var(--primary,#a50e0e)}
    .hint{margin:0;color:#555}
    .error{margin:0;color:#b00020;font-weight:600}
    .has-error input{border-color:#b00020}
    .error-summary{border:3px solid #b00020;padding:.75rem;margin-bottom:1rem}
    .notice{border-left:6px solid #00703c;background:#eef7f1;padding:.5rem 1rem;margin-bottom:1rem}
    table{border-collapse:collapse;width:100%;display:block;overflow-x:auto}
    th,td{text-align:left;padding:.4rem .6rem;border-bottom:1px solid #ddd;vertical-align:top}
    dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}
    dt{font-weight:600}
    .pager{margin:1rem 0}
    .stack.wide{max-width:48rem}
    textarea{font:inherit;padding:.5rem;border:2px solid #555;border-radius:4px;width:100%}
    .cards{list-style:none;padding:0;display:grid;gap:.75rem}
    .cards li{border:1px solid #ccc;border-radius:6px;padding:.75rem}
    .meta{margin:.25rem 0 0;color:#555;font-size:.9rem}
    .badge{display:inline-block;border-radius:1rem;padding:.1rem .6rem;font-size:.85rem;font-weight:600;border:1px solid currentColor}
    .badge.on-time,.badge.finished-on-time{color:#00703c;background:#eef7f1}
    .badge.at-risk{color:#7a4d00;background:#fff4d6}
    .badge.late,.badge.finished-late{color:#b00020;background:#fdecee}
    .badge.paused,.badge.not-started{color:#444;background:#f0f0f0}
    .tabs ul{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.5rem}
    .tabs a{display:inline-block;padding:.3rem .8rem;border:1px solid #0b4f9c;border-radius:4px;text-decoration:none}
    .tabs a[aria-current=page]{background:#0b4f9c;color:#fff}
    details.action{border:1px solid #ccc;border-radius:6px;padding:.5rem .75rem;margin:.5rem 0}
    details.action summary{font-weight:600;cursor:pointer}
    .actions{display:flex;gap:.75rem;flex-wrap:wrap}
    fieldset{border:1px solid #ccc;border-radius:4px;margin:0;padding:.5rem}
    .scale{display:flex;gap:1rem}
    .chart{max-width:48rem;margin:1rem 0}
    .print-form{max-width:48rem;background:#fff}
    .print-form.wide{max-width:none}
    .form-header{display:flex;justify-content:space-between;gap:1rem;flex-wrap:wrap}
    .form-header p{margin:.1rem 0}
    .center{text-align:center}
    .form-title{text-align:center;margin:1.5rem 0 .5rem}
    .signatures{display:flex;justify-content:space-between;margin-top:2rem;text-align:center}
    .signatures>div{flex:1}
    .signer{margin-top:3rem}
    ul.plain{list-style:none;padding-left:0}
    .filled{border-left:4px solid #ccc;padding-left:.75rem;white-space:pre-wrap}
    .depth-1{padding-left:1.75em}.depth-2{padding-left:3em}.depth-3{padding-left:4.25em}.depth-4{padding-left:5.5em}
    .depth-5{padding-left:6.75em}.depth-6{padding-left:8em}.depth-7{padding-left:9.25em}.depth-8{padding-left:10.5em}
    @media print{.no-print,h1{display:none}.print-form{font-family:"Times New Roman",serif;font-size:13pt}}
    @media print{.site-header nav,.admin-menu,.skip-link,.filters,.pager,footer{display:none}a{color:#000;text-decoration:none}}
    """
}

/// The locality's colours as a stylesheet (`/assets/brand.css`): only `#rgb`/`#rrggbb` colours pass,
/// anything else in a pack falls back to the platform's, so a pack cannot inject CSS.
public enum BrandStylesheet {
    public static func css(primary: String, secondary: String) -> String {
        ":root{--primary:\(colour(primary, or: "#a50e0e"));--secondary:\(colour(secondary, or: "#f4c20d"))}\n"
    }

    static func colour(_ value: String, or fallback: String) -> String {
        let hex = value.utf8.dropFirst()
        guard value.hasPrefix("#"), [3, 6].contains(hex.count), hex.allSatisfy({ ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) || ($0 >= 65 && $0 <= 70) })
        else { return fallback }
        return value
    }
}

/// The one script of the site (`/assets/site.js`), loaded from a file because the Content-Security-Policy
/// allows no inline script. Pages work without it; it only wires buttons such as "print".
public enum SiteScript {
    public static let js = """
    document.addEventListener("DOMContentLoaded", function () {
      document.querySelectorAll("[data-action=print]").forEach(function (button) {
        button.addEventListener("click", function () { window.print(); });
      });
    });

    """
}
