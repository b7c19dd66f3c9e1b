import { type ComponentChild, type FunctionComponent, h } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { PaybackTarget } from './exit/use-payback';
import { currentLang, L, setLang } from './i18n';
import { ConfigScreen } from './screens/config';
import { HandoverScreen } from './screens/handover';
import { HomeScreen } from './screens/home';
import { LoginScreen } from './screens/login';
import { MonitorScreen } from './screens/monitor';
import { ReadersScreen } from './screens/readers';
import { ReceiptScreen } from './screens/receipt';
import { RefundScreen } from './screens/refund';
import { ReportScreen } from './screens/report';
import { type AppServices, navigate, parseRoute, type Route } from './services';
import { ReaderBar } from './ui/reader-bar';

type ExitProps = { services: AppServices; laneId: string; txnId?: string };

let exitModule: Promise<{ ExitScreen: FunctionComponent<ExitProps> }> | null = null;
let cpcModule: Promise<{ CpcExitScreen: FunctionComponent<ExitProps> }> | null = null;
let noneModule: Promise<{ NoneExitScreen: FunctionComponent<ExitProps> }> | null = null;

/** The exit screens are their own chunks (with the fee-type names): the home screen loads without them. */
function LazyExit(props: ExitProps & { medium: 'etc' | 'cpc' | 'none' }) {
  const { medium, ...rest } = props;
  const [C, setC] = useState<FunctionComponent<ExitProps> | null>(null);
  useEffect(() => {
    if (medium === 'none') {
      noneModule ??= import('./screens/none-exit');
      void noneModule.then((m) => setC(() => m.NoneExitScreen));
    } else if (medium === 'cpc') {
      cpcModule ??= import('./screens/cpc-exit');
      void cpcModule.then((m) => setC(() => m.CpcExitScreen));
    } else {
      exitModule ??= import('./screens/exit');
      void exitModule.then((m) => setC(() => m.ExitScreen));
    }
  }, []);
  return C ? h(C, rest) : h('p', { style: 'padding:16px' }, L('正在加载…', 'Loading…'));
}

type PaybackProps = { services: AppServices; laneId: string; target: PaybackTarget };
let paybackModule: Promise<{ ArrearsPaybackScreen: FunctionComponent<PaybackProps> }> | null = null;

/** 补缴 is its own chunk, loaded when 【补缴】 opens it. */
function LazyPayback(props: PaybackProps) {
  const [C, setC] = useState<FunctionComponent<PaybackProps> | null>(null);
  useEffect(() => {
    paybackModule ??= import('./screens/arrears-payback');
    void paybackModule.then((m) => setC(() => m.ArrearsPaybackScreen));
  }, []);
  return C ? h(C, props) : h('p', { style: 'padding:16px' }, L('正在加载…', 'Loading…'));
}

/** The shell: the reader bar on every screen, hash routing, login guard, language switch. */
export function App(props: { services: AppServices }) {
  const { services } = props;
  const [route, setRoute] = useState<Route>(() => parseRoute(location.hash));
  const [, setTick] = useState(0);
  const loggedIn = services.session.signedIn;

  useEffect(() => {
    // An expired session sends the collector to 登录; what was typed stays in the exit draft.
    services.client.onSessionLost = () => {
      services.session.signedIn = false;
      services.persistSession();
      navigate({ name: 'login' });
      setRoute({ name: 'login' });
    };
    const on = () => setRoute(parseRoute(location.hash));
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);

  useEffect(() => {
    // Warm the exit screen's chunk once the first screen is up, so 【ETC联动单卡交易】 opens at once.
    const t = setTimeout(() => {
      exitModule ??= import('./screens/exit');
    }, 500);
    return () => clearTimeout(t);
  }, []);

  useEffect(() => {
    if (!loggedIn) return;
    // Station context for the card's exit record (and the training cards' entry stations).
    services.client
      .station()
      .then((s) => services.setStationHex(s.stationHex))
      .catch(() => undefined);
    services.client
      .lanes()
      .then((ls) => {
        for (const l of ls) services.setLaneHex(l.id, l.hex);
      })
      .catch(() => undefined);
  }, [loggedIn]);

  const logout = async () => {
    await services.client.logout();
    services.session.signedIn = false;
    services.persistSession();
    navigate({ name: 'login' });
    setRoute({ name: 'login' });
  };

  let screen: ComponentChild;
  if (!loggedIn || route.name === 'login') {
    screen = h(LoginScreen, {
      services,
      onLoggedIn: () => {
        const r: Route =
          services.session.account?.role === 'monitor' ? { name: 'monitor' } : { name: 'home' };
        navigate(r);
        setRoute(r);
      },
    });
  } else if (route.name === 'exit' || route.name === 'cpc' || route.name === 'none') {
    screen = h(LazyExit, {
      key: `${route.name}:${route.laneId}`,
      medium: route.name === 'exit' ? 'etc' : route.name,
      services,
      laneId: route.laneId,
      ...(route.txnId ? { txnId: route.txnId } : {}),
    });
  } else if (route.name === 'arrears') {
    screen = h(LazyPayback, {
      key: `arrears:${route.laneId}`,
      services,
      laneId: route.laneId,
      target:
        'paybackId' in route
          ? { paybackId: route.paybackId }
          : {
              plate: route.plate,
              colour: route.colour,
              ...(route.exitTxnId ? { exitTxnId: route.exitTxnId } : {}),
            },
    });
  } else if (route.name === 'monitor') {
    screen = h(MonitorScreen, { services });
  } else if (route.name === 'report') {
    screen = h(ReportScreen, { services });
  } else if (route.name === 'handover') {
    screen = h(HandoverScreen, { services, ...(route.shiftId ? { shiftId: route.shiftId } : {}) });
  } else if (route.name === 'config') {
    screen = h(ConfigScreen, { services, section: route.section });
  } else if (route.name === 'refund') {
    screen = h(RefundScreen, { services, ...(route.ref ? { ref: route.ref } : {}) });
  } else if (route.name === 'readers') {
    screen = h(ReadersScreen, { services });
  } else if (route.name === 'receipt') {
    screen = h(ReceiptScreen, { services, tradeId: route.tradeId, reprint: route.reprint });
  } else {
    screen = h(HomeScreen, { services, onLogout: logout });
  }

  return h(
    'div',
    null,
    h(ReaderBar, { hub: services.hub }),
    screen,
    h(
      'footer',
      { style: 'padding:8px 12px' },
      h(
        'button',
        {
          type: 'button',
          onClick: () => {
            setLang(currentLang() === 'en' ? 'zh-CN' : 'en');
            setTick((t) => t + 1);
          },
        },
        L('English', '中文'),
      ),
    ),
  );
}
