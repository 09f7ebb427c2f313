/** Re-exported for config/: the suggestions live in core/ so event validation can use them too. */
export { closest, didYouMean, listOf } from '../core/text/didYouMean.ts';
