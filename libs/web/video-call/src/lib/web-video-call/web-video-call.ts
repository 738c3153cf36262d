import { Component } from '@angular/core';

@Component({
  selector: 'vc-web-video-call',
  imports: [],
  templateUrl: './web-video-call.html',
  styleUrl: './web-video-call.css',
})
export class WebVideoCall {}
