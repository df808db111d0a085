// Entry point: styles, the link interceptor and the app.
import { render } from 'preact';
import '@picocss/pico/css/pico.min.css';
import './styles.css';
import { App } from './app.tsx';
import { interceptLinks } from './router.ts';

interceptLinks();
render(<App />, document.getElementById('app')!);
