import { Component } from '@angular/core';
import { RouterOutlet } from '@angular/router';

@Component({
  imports: [RouterOutlet],
  selector: 'sk-root',
  templateUrl: './app.html',
})
export class App {}
