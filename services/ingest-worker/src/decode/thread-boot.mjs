// Worker threads do not inherit the parent's --import hooks: register tsx here, then load the
// TypeScript thread (the project runs from source, without a build step).
import { register } from 'tsx/esm/api';

register();
await import('./thread.ts');
