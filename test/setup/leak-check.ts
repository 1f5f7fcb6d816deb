import { installLeakCheck } from '../helpers/leaks.ts';

installLeakCheck();
