export function wakeSender(): void {}
