/** Entry point for the Functions host (package.json `main`): registers every function. */
import './workflows';
import './schedule';
import './sweep';
import './events';
import './http';
import './discovery';
