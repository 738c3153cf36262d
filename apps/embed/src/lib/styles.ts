/**
 * The widget's own styles, inside its shadow root: nothing leaks out to the host page, and `all: initial`
 * keeps the host page's styles out. `--sk-c` is the button colour, `--sk-fg` the text colour on it.
 */
export const STYLES = `
:host{all:initial}
*{box-sizing:border-box;font-family:system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif}
button{font:inherit;cursor:pointer}
.launcher{position:fixed;bottom:20px;right:20px;z-index:2147483000;display:flex;align-items:center;gap:10px;max-width:calc(100vw - 40px);min-height:48px;padding:12px 20px;border:0;border-radius:999px;background:var(--sk-c);color:var(--sk-fg);font-size:16px;font-weight:600;line-height:1.25;text-align:left;box-shadow:0 4px 16px rgba(0,0,0,.28)}
.launcher svg{flex:none;width:22px;height:22px}
.status{font-weight:400}
.status:not(:empty)::before{content:"· "}
button:focus-visible{outline:3px solid #fff;outline-offset:0;box-shadow:0 0 0 6px #111}
.panel{position:fixed;bottom:88px;right:20px;z-index:2147483000;display:flex;flex-direction:column;width:400px;max-width:calc(100vw - 40px);height:min(680px,calc(100vh - 108px));background:#fff;color:#1f2328;border-radius:12px;overflow:hidden;box-shadow:0 8px 32px rgba(0,0,0,.32)}
.panel[hidden]{display:none}
.left .launcher,.left .panel{right:auto;left:20px}
.bar{display:flex;align-items:center;gap:4px;padding:6px 6px 6px 16px;background:var(--sk-c);color:var(--sk-fg)}
.title{flex:1;margin:0;font-size:16px;font-weight:600;overflow:hidden;white-space:nowrap;text-overflow:ellipsis}
.bar button{display:grid;place-items:center;width:40px;height:40px;padding:0;border:0;border-radius:8px;background:transparent;color:inherit}
.bar button:hover{background:rgba(127,127,127,.25)}
.bar svg{width:20px;height:20px}
iframe{flex:1;width:100%;border:0;background:#f4f6f8}
.fallback{margin:0;padding:20px;font-size:16px;line-height:1.5}
.fallback a{color:#0b57d0}
@media (max-width:480px){.panel,.left .panel{inset:0;width:100%;max-width:none;height:100%;border-radius:0}.open .launcher{display:none}}
`;
