/** Entry point for the Functions host (package.json `main`): registers every function. */
import './backup';
import './watch';
import './schedule';
import './sweep';
import './events';
import './restore';
import './migrate';
import './approvals';
import './snapshot';
import './http';
import './discovery';
