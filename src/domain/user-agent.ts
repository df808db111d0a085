// What Grafana's session list shows of a User-Agent: browser, operating system and device, each
// with a version where one is given. A small table of the common families; anything else is
// "Other", as ua-parser (which Grafana uses) answers for what it does not know.

export interface ClientInfo {
  browser: string;
  browserVersion: string;
  os: string;
  osVersion: string;
  device: string;
}

/** First match wins: Edge and Opera also say Chrome, Chrome also says Safari. */
const BROWSERS: [RegExp, string][] = [
  [/Edg(?:e|A|iOS)?\/([\d.]+)/, 'Edge'],
  [/OPR\/([\d.]+)/, 'Opera'],
  [/Firefox\/([\d.]+)/, 'Firefox'],
  [/FxiOS\/([\d.]+)/, 'Firefox iOS'],
  [/CriOS\/([\d.]+)/, 'Chrome Mobile iOS'],
  [/HeadlessChrome\/([\d.]+)/, 'HeadlessChrome'],
  [/Chrome\/([\d.]+) Mobile/, 'Chrome Mobile'],
  [/Chrome\/([\d.]+)/, 'Chrome'],
  [/Chromium\/([\d.]+)/, 'Chromium'],
  [/Version\/([\d.]+).*Mobile.*Safari/, 'Mobile Safari'],
  [/Version\/([\d.]+).*Safari/, 'Safari'],
  [/curl\/([\d.]+)/, 'curl'],
  [/node(?:-fetch)?\/?([\d.]*)/i, 'Node'],
];

const SYSTEMS: [RegExp, string, (v: string) => string][] = [
  [/Windows NT ([\d.]+)/, 'Windows', (v) => ({ '10.0': '10', '6.3': '8.1', '6.2': '8', '6.1': '7' })[v] ?? v],
  [/(?:iPhone|iPad|iPod).*? OS ([\d_]+)/, 'iOS', (v) => v.replace(/_/g, '.')],
  [/Android ([\d.]+)/, 'Android', (v) => v],
  [/Mac OS X ([\d_.]+)/, 'Mac OS X', (v) => v.replace(/_/g, '.')],
  [/CrOS \S+ ([\d.]+)/, 'Chrome OS', (v) => v],
  [/(Ubuntu|Fedora|Linux)/, 'Linux', () => ''],
];

export function parseUserAgent(ua: string | null | undefined): ClientInfo {
  const text = ua ?? '';
  const info: ClientInfo = { browser: 'Other', browserVersion: '', os: 'Other', osVersion: '', device: 'Other' };
  for (const [re, name] of BROWSERS) {
    const m = re.exec(text);
    if (m) {
      info.browser = name;
      info.browserVersion = m[1] ?? '';
      break;
    }
  }
  for (const [re, name, version] of SYSTEMS) {
    const m = re.exec(text);
    if (m) {
      info.os = name;
      info.osVersion = name === 'Linux' ? '' : version(m[1]);
      break;
    }
  }
  const device = /\b(iPhone|iPad|iPod)\b/.exec(text) ?? /Android [\d.]+; ([^;)]+?)(?: Build\/[^;)]*)?\)/.exec(text);
  if (device) info.device = device[1].trim() === 'K' ? 'Generic Smartphone' : device[1].trim();
  return info;
}
