// `node --import <this file>`: registers ts-hooks.mjs so the process can import .ts sources.
import { register } from 'node:module';

register(new URL('./ts-hooks.mjs', import.meta.url));
