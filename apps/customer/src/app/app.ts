import { Component, inject } from '@angular/core';
import { RouterOutlet } from '@angular/router';
import { LanguageSwitcher } from '@servicekit/web/i18n';
import { BrandStore } from './brand/brand.store';
import { EmbedBridge } from './embed/embed-bridge.service';

@Component({
  imports: [RouterOutlet, LanguageSwitcher],
  selector: 'sk-root',
  templateUrl: './app.html',
  // In the widget's panel the host site frames us: its own header is around us, so ours goes.
  host: { '[class.sk-embedded]': 'embedded' },
  styles: `
    /* The language switcher goes to the next line rather than past the edge of a narrow screen. */
    .sk-header {
      flex-wrap: wrap;
    }
    :host(.sk-embedded) .sk-main {
      padding: 0.5rem;
    }
    /* Full white: the brand colour behind it may be light enough that a dimmed subtitle fails contrast. */
    .sk-subtitle {
      opacity: 1;
    }
    .sk-logo {
      height: 1.75rem;
      max-width: 8rem;
      object-fit: contain;
      align-self: center;
    }
  `,
})
export class App {
  protected readonly embedded = inject(EmbedBridge).embedded;
  protected readonly brand = inject(BrandStore).brand;
}
