// See https://svelte.dev/docs/kit/types#app.d.ts
declare global {
  namespace App {
    interface Error {
      code?: string;
      message: string;
    }

    interface PageState {
      /** Set when the facilitator page opens straight after creating the workshop. */
      justCreated?: boolean;
    }
  }
}

export {};
