// What each test browser's profile sets: WebGPU on (Dawn over SwiftShader in chromium, wgpu over
// lavapipe in Firefox) and everything that would reach beyond loopback off: telemetry, updates,
// remote settings, safe browsing, captive-portal and connectivity checks, prefetching, push.
// test/browser-network.test.ts checks that each reaches nothing beyond loopback.

/**
 * chromium's flags (puppeteer adds its own defaults: no background networking, sync or crash
 * reports; browser.ts adds host resolver rules under which no name but loopback's resolves).
 */
export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--enable-unsafe-webgpu',
  // names the adapter ("SwiftShader Device") instead of an empty description
  '--enable-webgpu-developer-features',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-domain-reliability',
  '--disable-client-side-phishing-detection',
  '--disable-sync',
  '--no-first-run',
  '--no-default-browser-check',
  '--no-pings',
  '--disable-quic',
  '--dns-prefetch-disable',
  '--disable-features=OptimizationHints,MediaRouter,Translate,CertificateTransparencyComponentUpdater,AutofillServerCommunication,NetworkTimeServiceQuerying',
];

/** Where a URL the profile must name points instead of a server: loopback's discard port, which refuses. */
const NOWHERE = 'http://127.0.0.1:9/';

/** Firefox's environment: it refuses connections beyond loopback itself, as in its own test harness. */
export const FIREFOX_ENV = { MOZ_DISABLE_NONLOCAL_CONNECTIONS: '1', MOZ_CRASHREPORTER_DISABLE: '1' };

/** Firefox preferences, written into the throwaway profile's user.js over puppeteer's defaults. */
export const FIREFOX_PREFS: Record<string, string | number | boolean> = {
  // WebGPU is behind this preference on Linux; lavapipe is a software driver the blocklist refuses
  'dom.webgpu.enabled': true,
  'gfx.webgpu.ignore-blocklist': true,
  // telemetry and data reporting
  'toolkit.telemetry.enabled': false,
  'toolkit.telemetry.unified': false,
  'toolkit.telemetry.archive.enabled': false,
  'toolkit.telemetry.server': NOWHERE,
  'toolkit.telemetry.newProfilePing.enabled': false,
  'toolkit.telemetry.shutdownPingSender.enabled': false,
  'toolkit.telemetry.firstShutdownPing.enabled': false,
  'toolkit.telemetry.updatePing.enabled': false,
  'toolkit.telemetry.bhrPing.enabled': false,
  'toolkit.telemetry.coverage.opt-out': true,
  'toolkit.coverage.opt-out': true,
  'toolkit.coverage.endpoint.base': NOWHERE,
  'datareporting.healthreport.uploadEnabled': false,
  'datareporting.policy.dataSubmissionEnabled': false,
  'datareporting.usage.uploadEnabled': false,
  'browser.ping-centre.telemetry': false,
  'browser.newtabpage.activity-stream.telemetry': false,
  'browser.newtabpage.activity-stream.feeds.telemetry': false,
  'app.shield.optoutstudies.enabled': false,
  'app.normandy.enabled': false,
  'app.normandy.api_url': NOWHERE,
  'browser.crashReports.unsubmittedCheck.enabled': false,
  'browser.tabs.crashReporting.sendReport': false,
  'breakpad.reportURL': NOWHERE,
  // updates of the browser, add-ons, plugins and search engines
  'app.update.enabled': false,
  'app.update.auto': false,
  'app.update.url': NOWHERE,
  'app.update.disabledForTesting': true,
  'extensions.update.enabled': false,
  'extensions.update.autoUpdateDefault': false,
  'extensions.blocklist.enabled': false,
  'extensions.systemAddon.update.enabled': false,
  'extensions.systemAddon.update.url': NOWHERE,
  'extensions.getAddons.cache.enabled': false,
  'extensions.getAddons.discovery.api_url': NOWHERE,
  'extensions.webservice.discoverURL': NOWHERE,
  'media.gmp-manager.updateEnabled': false,
  'media.gmp-manager.url': NOWHERE,
  'media.gmp-gmpopenh264.enabled': false,
  'browser.search.update': false,
  'browser.region.update.enabled': false,
  'browser.region.network.url': NOWHERE,
  'browser.search.geoSpecificDefaults': false,
  // remote settings, experiments and recommendations
  // honoured in a release build only with MOZ_DISABLE_NONLOCAL_CONNECTIONS=1 (FIREFOX_ENV), and
  // then this very URL turns remote settings off altogether
  'services.settings.server': 'data:,#remote-settings-dummy/v1',
  'messaging-system.rsexperimentloader.enabled': false,
  'security.remote_settings.crlite_filters.enabled': false,
  'security.remote_settings.intermediates.enabled': false,
  'browser.discovery.enabled': false,
  'browser.newtabpage.enabled': false,
  'browser.newtabpage.activity-stream.feeds.topsites': false,
  'browser.newtabpage.activity-stream.feeds.section.topstories': false,
  'browser.newtabpage.activity-stream.feeds.system.topstories': false,
  'browser.newtabpage.activity-stream.default.sites': '',
  'browser.topsites.contile.enabled': false,
  'browser.urlbar.quicksuggest.enabled': false,
  'browser.urlbar.suggest.searches': false,
  'browser.search.suggest.enabled': false,
  'extensions.pocket.enabled': false,
  'browser.translations.enable': false,
  'browser.ml.enable': false,
  'identity.fxaccounts.enabled': false,
  'dom.push.enabled': false,
  'dom.push.connection.enabled': false,
  'dom.push.serverURL': NOWHERE,
  'geo.provider.network.url': NOWHERE,
  // safe browsing
  'browser.safebrowsing.malware.enabled': false,
  'browser.safebrowsing.phishing.enabled': false,
  'browser.safebrowsing.downloads.enabled': false,
  'browser.safebrowsing.downloads.remote.enabled': false,
  'browser.safebrowsing.blockedURIs.enabled': false,
  'browser.safebrowsing.provider.google4.updateURL': NOWHERE,
  'browser.safebrowsing.provider.google.updateURL': NOWHERE,
  'browser.safebrowsing.provider.mozilla.updateURL': NOWHERE,
  // captive portal and connectivity checks, DNS over HTTPS, time servers
  'network.captive-portal-service.enabled': false,
  'network.connectivity-service.enabled': false,
  'captivedetect.canonicalURL': NOWHERE,
  'network.trr.mode': 5,
  'network.sntp.pools': '127.0.0.1',
  // nothing fetched ahead of time
  'network.dns.disablePrefetch': true,
  'network.dns.disablePrefetchFromHTTPS': true,
  'network.prefetch-next': false,
  'network.predictor.enabled': false,
  'network.http.speculative-parallel-limit': 0,
  'browser.urlbar.speculativeConnect.enabled': false,
  'browser.places.speculativeConnect.enabled': false,
  // first-run and default-browser prompts
  'browser.shell.checkDefaultBrowser': false,
  'browser.aboutwelcome.enabled': false,
  'browser.startup.page': 0,
  'browser.startup.homepage': 'about:blank',
  'browser.uitour.enabled': false,
};
