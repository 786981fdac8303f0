/**
 * tfjs-core registers the gradient of each kernel only when `register_all_gradients` is imported
 * (the @tensorflow/tfjs union package does it; tfjs-core alone does not), and tf.variableGrads needs
 * them. The registry is global (tfjs keeps it in its global namespace), so this one side-effect
 * import serves whichever copy of tfjs-core lib/compute loaded. Every training module imports it.
 */
// tfjs-core's index registers the environment flags (DEBUG, …) that the gradient modules read when
// they load; import it first, or a bundle that reaches this file before tfjs-core fails with
// "Cannot evaluate flag 'DEBUG'".
import '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
