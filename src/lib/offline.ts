/** Registers the service worker (src/service-worker.ts): the only script a signed-in student's page carries. */
export const REGISTER_SCRIPT =
	"<script>if('serviceWorker' in navigator)navigator.serviceWorker.register('/service-worker.js')</script>";
