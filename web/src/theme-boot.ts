/** Runs before the page paints (a plain script, no inline code): applies a chosen light/dark theme. */
try {
  const theme = localStorage.getItem('mend.theme');
  if (theme === 'light' || theme === 'dark') document.documentElement.dataset.theme = theme;
} catch { /* storage unavailable: follow the system */ }
