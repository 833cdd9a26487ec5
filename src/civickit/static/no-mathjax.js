// Served in place of MathJax from a CDN (the kit works offline; case studies carry no LaTeX).
window.MathJax = window.MathJax || { startup: { promise: Promise.resolve() } };
